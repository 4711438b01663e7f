namespace ElbNotebooks.Notebooks.Tests.Emulation;

/// <summary>A notebook cell did not compile or threw: names the notebook, the 1-based cell number and the reason.</summary>
public sealed class NotebookCellFailedException : Exception
{
    public NotebookCellFailedException(string notebook, int cellNumber, string reason, Exception? inner = null)
        : base($"{notebook}: cell {cellNumber} failed: {reason}", inner)
    {
        Notebook = notebook;
        CellNumber = cellNumber;
        Reason = reason;
    }

    /// <summary>The notebook's file name (or "extension.dib" for the package's extension script).</summary>
    public string Notebook { get; }

    /// <summary>1-based position of the cell among all cells of the file (markdown cells included), as an editor counts.</summary>
    public int CellNumber { get; }

    /// <summary>The compiler's diagnostics, or the exception's type and message.</summary>
    public string Reason { get; }
}
