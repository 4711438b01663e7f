using ElbNotebooks.Analysis;

namespace ElbNotebooks.Cli.Rendering;

/// <summary>One output form of an investigation (terminal table, JSON), written to an injected writer.</summary>
internal interface IInvestigationRenderer
{
    void Render(InvestigationResult investigation, TextWriter output);
}
