// Stack buffers in the parser are written before they are read; zeroing them on every call costs more than
// the parse itself.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
