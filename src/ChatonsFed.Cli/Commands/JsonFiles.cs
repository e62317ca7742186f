using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatonsFed.Cli.Commands;

/// <summary>Reads a JSON object from a file, with an error that names the file and the position of the fault.</summary>
internal static class JsonFiles
{
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 64 };

    public static JsonObject ReadObject(string path)
    {
        var text = KeyFiles.ReadText(path);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: ReadOptions);
        }
        catch (JsonException ex)
        {
            throw new CliException($"{path} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})");
        }

        return node as JsonObject ?? throw new CliException($"{path} is JSON but not a JSON object");
    }
}
