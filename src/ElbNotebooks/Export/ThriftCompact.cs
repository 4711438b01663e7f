namespace ElbNotebooks.Export;

/// <summary>
/// Just enough of Thrift's compact protocol to read a Parquet footer or page header, change a few fields and write it
/// back: every value is kept as read (primitives as their encoded bytes), so fields this code does not know survive.
/// Parquet.Net keeps its own Thrift classes internal (see <see cref="StringStatistics"/> for why they are needed).
/// </summary>
internal static class ThriftCompact
{
    public const byte BoolTrue = 1, BoolFalse = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8, List = 9,
        Set = 10, Map = 11, Struct = 12;

    /// <summary>A struct: its fields in the order read.</summary>
    public sealed class TStruct
    {
        public List<TField> Fields { get; } = [];

        public TField? Field(short id) => Fields.Find(f => f.Id == id);

        public TStruct? StructAt(short id) => Field(id)?.Value as TStruct;

        public TList? ListAt(short id) => Field(id)?.Value as TList;

        public long? I64At(short id) => Field(id) is { Value: byte[] raw } ? ReadVarint(raw) : null;

        public void SetI64(short id, long value)
        {
            var field = Field(id) ?? throw new InvalidDataException($"No field {id}.");
            field.Value = Varint(value);
        }

        public void SetBinary(short id, byte[] value)
        {
            var field = Field(id);
            var raw = Binary_(value);
            if (field is null) Fields.Add(new TField(id, Binary, raw));
            else field.Value = raw;
            Fields.Sort((a, b) => a.Id.CompareTo(b.Id));
        }

        public void Remove(short id) => Fields.RemoveAll(f => f.Id == id);

        private static byte[] Binary_(byte[] value)
        {
            using var ms = new MemoryStream();
            WriteUVarint(ms, (ulong)value.Length);
            ms.Write(value);
            return ms.ToArray();
        }
    }

    /// <summary>A field: its id, compact type and value (<see cref="TStruct"/>, <see cref="TList"/>, <see cref="TMap"/>, raw bytes, or null for a bool field, whose value is its type).</summary>
    public sealed class TField(short id, byte type, object? value)
    {
        public short Id { get; } = id;
        public byte Type { get; } = type;
        public object? Value { get; set; } = value;
    }

    public sealed class TList(byte type, byte elementType, List<object> items)
    {
        public byte Type { get; } = type;
        public byte ElementType { get; } = elementType;
        public List<object> Items { get; } = items;
    }

    public sealed class TMap(byte keyType, byte valueType, List<(object Key, object Value)> entries)
    {
        public byte KeyType { get; } = keyType;
        public byte ValueType { get; } = valueType;
        public List<(object Key, object Value)> Entries { get; } = entries;
    }

    public static TStruct ReadStruct(Stream input)
    {
        var result = new TStruct();
        short last = 0;
        while (true)
        {
            var header = ReadByte(input);
            if (header == 0) return result;
            var type = (byte)(header & 0x0F);
            var delta = header >> 4;
            var id = delta == 0 ? (short)ZigZag(ReadUVarint(input)) : (short)(last + delta);
            last = id;
            result.Fields.Add(new TField(id, type, type is BoolTrue or BoolFalse ? null : ReadValue(input, type)));
        }
    }

    private static object ReadValue(Stream input, byte type)
    {
        switch (type)
        {
            case BoolTrue or BoolFalse or Byte: return new[] { ReadByte(input) };
            case I16 or I32 or I64:
            {
                using var ms = new MemoryStream();
                byte b;
                do
                {
                    b = ReadByte(input);
                    ms.WriteByte(b);
                } while ((b & 0x80) != 0);
                return ms.ToArray();
            }
            case Double: return ReadExactly(input, 8);
            case Binary:
            {
                var length = ReadUVarint(input);
                if (length > int.MaxValue) throw new InvalidDataException("Thrift binary too long.");
                using var ms = new MemoryStream();
                WriteUVarint(ms, length);
                ms.Write(ReadExactly(input, (int)length));
                return ms.ToArray();
            }
            case List or Set:
            {
                var header = ReadByte(input);
                var size = (ulong)(header >> 4);
                if (size == 15) size = ReadUVarint(input);
                var element = (byte)(header & 0x0F);
                var items = new List<object>();
                for (ulong i = 0; i < size; i++) items.Add(ReadValue(input, element));
                return new TList(type, element, items);
            }
            case Map:
            {
                var size = ReadUVarint(input);
                var entries = new List<(object, object)>();
                if (size == 0) return new TMap(0, 0, entries);
                var kinds = ReadByte(input);
                byte key = (byte)(kinds >> 4), value = (byte)(kinds & 0x0F);
                for (ulong i = 0; i < size; i++) entries.Add((ReadValue(input, key), ReadValue(input, value)));
                return new TMap(key, value, entries);
            }
            case Struct: return ReadStruct(input);
            default: throw new InvalidDataException($"Unknown Thrift compact type {type}.");
        }
    }

    public static void WriteStruct(Stream output, TStruct value)
    {
        short last = 0;
        foreach (var field in value.Fields)
        {
            var delta = field.Id - last;
            if (delta is > 0 and <= 15) output.WriteByte((byte)((delta << 4) | field.Type));
            else
            {
                output.WriteByte(field.Type);
                WriteUVarint(output, (ulong)((field.Id << 1) ^ (field.Id >> 15)));
            }
            last = field.Id;
            if (field.Value is not null) WriteValue(output, field.Value);
        }
        output.WriteByte(0);
    }

    private static void WriteValue(Stream output, object value)
    {
        switch (value)
        {
            case byte[] raw:
                output.Write(raw);
                break;
            case TStruct s:
                WriteStruct(output, s);
                break;
            case TList list:
                if (list.Items.Count < 15) output.WriteByte((byte)((list.Items.Count << 4) | list.ElementType));
                else
                {
                    output.WriteByte((byte)(0xF0 | list.ElementType));
                    WriteUVarint(output, (ulong)list.Items.Count);
                }
                foreach (var item in list.Items) WriteValue(output, item);
                break;
            case TMap map:
                WriteUVarint(output, (ulong)map.Entries.Count);
                if (map.Entries.Count == 0) break;
                output.WriteByte((byte)((map.KeyType << 4) | map.ValueType));
                foreach (var (k, v) in map.Entries)
                {
                    WriteValue(output, k);
                    WriteValue(output, v);
                }
                break;
            default:
                throw new InvalidOperationException(value.GetType().Name);
        }
    }

    /// <summary>The value of a zigzag varint (i16, i32, i64) as read.</summary>
    public static long ReadVarint(byte[] raw) => ZigZag(ReadUVarint(new MemoryStream(raw)));

    /// <summary>A zigzag varint's bytes.</summary>
    public static byte[] Varint(long value)
    {
        using var ms = new MemoryStream();
        WriteUVarint(ms, (ulong)((value << 1) ^ (value >> 63)));
        return ms.ToArray();
    }

    /// <summary>A binary value as read: its bytes without the length.</summary>
    public static byte[] BinaryValue(byte[] raw)
    {
        var ms = new MemoryStream(raw);
        var length = (int)ReadUVarint(ms);
        return raw[(int)ms.Position..((int)ms.Position + length)];
    }

    private static long ZigZag(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);

    private static ulong ReadUVarint(Stream input)
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte(input);
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("Thrift varint too long.");
    }

    private static void WriteUVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    private static byte ReadByte(Stream input)
    {
        var b = input.ReadByte();
        return b < 0 ? throw new EndOfStreamException("Thrift structure cut short.") : (byte)b;
    }

    private static byte[] ReadExactly(Stream input, int count)
    {
        var buffer = new byte[count];
        input.ReadExactly(buffer);
        return buffer;
    }
}
