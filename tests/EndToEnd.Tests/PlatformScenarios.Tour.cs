using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// The README's API tour, run as written: each line of its <c>tour</c> block is sent through the gateway with the
/// token of the role it names, as the README tells a person to, and must answer exactly the status it documents.
/// </summary>
public sealed partial class PlatformScenarios
{
    [Fact]
    public async Task The_READMEs_API_tour_answers_each_documented_status()
    {
        var steps = TourStep.Read(File.ReadAllText(Path.Combine(platform.RepoRoot, "README.md")));
        Assert.True(steps.Count >= 10, $"the README's tour has {steps.Count} requests");
        // As the Mint development tokens command makes them: admin for all warehouses, planner and operator for WH1.
        var clients = new Dictionary<string, HttpClient>
        {
            ["admin"] = platform.Client("admin"),
            ["planner"] = platform.Client("planner", "WH1"),
            ["operator"] = platform.Client("operator", "WH1"),
        };
        var values = new Dictionary<string, string> { ["scan"] = Guid.NewGuid().ToString() };
        var answered = new List<string>();

        foreach (var step in steps)
        {
            using var request = new HttpRequestMessage(step.Method, step.Fill(step.Path, values));
            if (step.Body is not null)
            {
                request.Content = new StringContent(step.Fill(step.Body, values), Encoding.UTF8, step.ContentType);
            }

            using var response = await clients[step.Role].SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            answered.Add($"{step.Line} => {(int)response.StatusCode}");
            Assert.True(step.Status == response.StatusCode, $"{step.Line}: answered {(int)response.StatusCode} {body}\n{string.Join("\n", answered)}");

            // The ids later lines use: {task} from the task's creation, {import} from the upload.
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted && step.Path.StartsWith("/api/", StringComparison.Ordinal))
            {
                var name = step.Path.StartsWith("/api/imports", StringComparison.Ordinal) ? "import" : "task";
                values[name] = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
            }
        }

        output.WriteLine(string.Join("\n", answered));
    }

    /// <summary>One line of the tour: <c>role METHOD path [text/csv] [body] -> status</c>.</summary>
    private sealed partial record TourStep(string Line, string Role, HttpMethod Method, string Path, string? ContentType, string? Body, HttpStatusCode Status)
    {
        public static IReadOnlyList<TourStep> Read(string readme)
        {
            var block = Block().Match(readme);
            Assert.True(block.Success, "the README has no ```tour block");
            return block.Groups["lines"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Parse)
                .ToList();
        }

        /// <summary>The line with <c>{task}</c>, <c>{import}</c> and <c>{scan}</c> replaced by what the tour has so far.</summary>
        public string Fill(string text, IReadOnlyDictionary<string, string> values) =>
            Placeholder().Replace(text, m => values.TryGetValue(m.Groups["name"].Value, out var value)
                ? value
                : throw new InvalidOperationException($"{Line}: no {m.Value} yet"));

        private static TourStep Parse(string line)
        {
            var step = Step().Match(line);
            Assert.True(step.Success, $"not a tour line (role METHOD path [text/csv] [body] -> status): {line}");
            var rest = step.Groups["rest"].Value.Trim();
            var (contentType, body) = rest.Length == 0 ? (null, null)
                : rest.StartsWith("text/csv ", StringComparison.Ordinal) ? ("text/csv", rest["text/csv ".Length..].Replace("\\n", "\n", StringComparison.Ordinal))
                : ("application/json", rest);
            return new(line, step.Groups["role"].Value, new HttpMethod(step.Groups["method"].Value), step.Groups["path"].Value,
                contentType, body, (HttpStatusCode)int.Parse(step.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        [GeneratedRegex(@"```tour\n(?<lines>.*?)```", RegexOptions.Singleline)]
        private static partial Regex Block();

        [GeneratedRegex(@"^(?<role>\w+)\s+(?<method>GET|POST)\s+(?<path>/\S*)(?<rest>.*?)\s+->\s+(?<status>\d{3})$")]
        private static partial Regex Step();

        [GeneratedRegex(@"\{(?<name>task|import|scan)\}")]
        private static partial Regex Placeholder();
    }
}
