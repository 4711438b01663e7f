using ElbNotebooks.Analysis;

namespace ElbNotebooks.Cli.Rendering;

/// <summary>Exactly one JSON document (<see cref="Investigation.ToJson"/>) and a final newline.</summary>
internal sealed class JsonRenderer : IInvestigationRenderer
{
    public void Render(InvestigationResult investigation, TextWriter output)
    {
        output.Write(investigation.ToJson());
        output.Write('\n');
        output.Flush();
    }
}
