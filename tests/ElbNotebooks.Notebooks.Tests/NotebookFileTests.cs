namespace ElbNotebooks.Notebooks.Tests;

public sealed class NotebookFileTests
{
    // The shape VS Code's Polyglot Notebooks extension saves (plus fields this model does not know about).
    private const string Polyglot = """
        {
         "cells": [
          {
           "cell_type": "markdown",
           "metadata": {},
           "source": [
            "# Title\n",
            "text"
           ]
          },
          {
           "cell_type": "code",
           "execution_count": null,
           "id": "a1b2",
           "metadata": {
            "dotnet_interactive": {
             "language": "csharp"
            },
            "polyglot_notebook": {
             "kernelName": "csharp"
            },
            "tags": [
             "setup"
            ]
           },
           "outputs": [],
           "source": "var x = 1;\nx"
          },
          {
           "cell_type": "code",
           "execution_count": null,
           "metadata": {
            "dotnet_interactive": {
             "language": "fsharp"
            }
           },
           "outputs": [],
           "source": []
          }
         ],
         "metadata": {
          "kernelspec": {
           "display_name": ".NET (C#)",
           "language": "C#",
           "name": ".net-csharp"
          },
          "language_info": {
           "name": "polyglot-notebook"
          },
          "polyglot_notebook": {
           "kernelInfo": {
            "defaultKernelName": "csharp",
            "items": [
             {
              "aliases": [],
              "name": "csharp"
             }
            ]
           }
          },
          "something_new": {
           "x": 1
          }
         },
         "nbformat": 4,
         "nbformat_minor": 5
        }

        """;

    [Fact]
    public void Reads_polyglot_metadata_and_both_source_forms()
    {
        var notebook = NotebookFile.Parse(Polyglot);

        Assert.Equal("csharp", notebook.DefaultKernelName);
        Assert.Equal(["markdown", "code", "code"], notebook.Cells.Select(c => c.CellType));
        Assert.Equal("# Title\ntext", notebook.Cells[0].Source);
        Assert.Equal("var x = 1;\nx", notebook.Cells[1].Source);
        Assert.Equal("", notebook.Cells[2].Source);
        Assert.Equal("csharp", notebook.Cells[1].KernelName);
        Assert.Equal("fsharp", notebook.Cells[2].KernelName);
        Assert.Null(notebook.Cells[0].KernelName);
    }

    [Fact]
    public void Writes_back_exactly_what_it_read()
    {
        Assert.Equal(Polyglot.ReplaceLineEndings("\n"), NotebookFile.Parse(Polyglot).ToJson());
    }

    [Fact]
    public void Created_notebooks_have_the_polyglot_shape_and_round_trip()
    {
        var notebook = NotebookFile.CreatePolyglot().AddMarkdown("# T").AddCode("1 + 1\n");
        var json = notebook.ToJson();

        var reread = NotebookFile.Parse(json);

        NbformatAssert.Valid(reread);
        Assert.Equal(json, reread.ToJson());
        Assert.Equal("csharp", reread.DefaultKernelName);
        Assert.Equal("1 + 1\n", reread.Cells[1].Source);
        Assert.Equal("csharp", reread.Cells[1].KernelName);
    }

    [Theory]
    [InlineData("""{"nbformat": 3, "cells": []}""")]
    [InlineData("""{"nbformat": 4}""")]
    [InlineData("[]")]
    public void Rejects_what_is_not_nbformat_4(string json)
    {
        Assert.Throws<FormatException>(() => NotebookFile.Parse(json));
    }
}
