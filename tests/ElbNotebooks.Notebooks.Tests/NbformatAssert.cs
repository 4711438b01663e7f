using System.Text.Json.Nodes;

namespace ElbNotebooks.Notebooks.Tests;

/// <summary>The nbformat 4 rules Jupyter and VS Code enforce on a notebook.</summary>
public static class NbformatAssert
{
    private static readonly string[] OutputTypes = ["display_data", "execute_result", "stream", "error"];

    public static void Valid(NotebookFile notebook)
    {
        var root = notebook.Root;
        Assert.Equal(4, root["nbformat"]!.GetValue<int>());
        Assert.True(root["nbformat_minor"]!.GetValue<int>() >= 0);
        Assert.IsType<JsonObject>(root["metadata"]);
        foreach (var cell in notebook.Cells)
        {
            Assert.Contains(cell.CellType, new[] { "code", "markdown", "raw" });
            Assert.IsType<JsonObject>(cell.Node["metadata"]);
            Assert.True(cell.Node["source"] is JsonArray or JsonValue, "source must be a string or a list of strings");
            if (!cell.IsCode)
            {
                Assert.Null(cell.Node["outputs"]);
                continue;
            }

            Assert.True(cell.Node.ContainsKey("execution_count"), "a code cell needs execution_count (null allowed)");
            foreach (var output in Assert.IsType<JsonArray>(cell.Node["outputs"]).Cast<JsonObject>())
            {
                var type = output["output_type"]!.GetValue<string>();
                Assert.Contains(type, OutputTypes);
                if (type is "display_data" or "execute_result")
                {
                    var data = Assert.IsType<JsonObject>(output["data"]);
                    Assert.All(data, d => Assert.True(d.Value is JsonArray or JsonValue));
                    Assert.IsType<JsonObject>(output["metadata"]);
                }
                else if (type == "stream")
                {
                    Assert.Contains(output["name"]!.GetValue<string>(), new[] { "stdout", "stderr" });
                    Assert.NotNull(output["text"]);
                }
            }
        }
    }
}
