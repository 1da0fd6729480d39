using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.GitHub;

/// <summary>
/// GitHub's REST API (v2022-11-28) over HttpClient. It does not log: request bodies may hold plan text, so the only
/// text it emits is an exception message naming the method, path and status, passed through the redactor.
/// </summary>
internal sealed class GitHubRestClient : IGitHubIssues
{
    private const int PageSize = 100;
    private const int MaxMessage = 300;
    private const int MaxPages = 50; // 5,000 items: a runaway paging loop must end even against a broken server

    private readonly HttpClient _http;
    private readonly string _repository;
    private readonly Func<string, string> _redact;

    public GitHubRestClient(GitHubConnection connection, Func<string, string> redact, HttpMessageHandler? handler)
    {
        var baseAddress = connection.ApiBase.AbsoluteUri.EndsWith('/') ? connection.ApiBase : new Uri(connection.ApiBase.AbsoluteUri + "/");
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = baseAddress;
        _http.Timeout = TimeSpan.FromSeconds(30);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("reconciler", "1"));
        _http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
        _repository = connection.Repository;
        _redact = redact;
    }

    public async Task<IReadOnlyList<IssueComment>> ListCommentsAsync(int issueNumber, CancellationToken ct)
    {
        var items = await ListAsync($"repos/{_repository}/issues/{issueNumber}/comments?", ct);
        return items.Select(ToComment).ToList();
    }

    public async Task<IssueComment> CreateCommentAsync(int issueNumber, string body, CancellationToken ct) =>
        ToComment(await SendAsync(HttpMethod.Post, $"repos/{_repository}/issues/{issueNumber}/comments", new JsonObject { ["body"] = body }, ct));

    public async Task<IssueComment> UpdateCommentAsync(long commentId, string body, CancellationToken ct) =>
        ToComment(await SendAsync(HttpMethod.Patch, $"repos/{_repository}/issues/comments/{commentId}", new JsonObject { ["body"] = body }, ct));

    public async Task<IReadOnlyList<Issue>> ListOpenIssuesAsync(string label, CancellationToken ct)
    {
        var items = await ListAsync($"repos/{_repository}/issues?state=open&labels={Uri.EscapeDataString(label)}&", ct);
        // The issues endpoint lists pull requests too; they carry a pull_request member.
        return items.Where(i => i["pull_request"] is null).Select(ToIssue).ToList();
    }

    public async Task<Issue> CreateIssueAsync(string title, string body, IReadOnlyList<string> labels, CancellationToken ct) =>
        ToIssue(await SendAsync(HttpMethod.Post, $"repos/{_repository}/issues",
            new JsonObject { ["title"] = title, ["body"] = body, ["labels"] = new JsonArray(labels.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()) }, ct));

    public async Task<Issue> UpdateIssueAsync(int number, string title, string body, CancellationToken ct) =>
        ToIssue(await SendAsync(HttpMethod.Patch, $"repos/{_repository}/issues/{number}", new JsonObject { ["title"] = title, ["body"] = body }, ct));

    public async Task<Issue> CloseIssueAsync(int number, string body, CancellationToken ct) =>
        ToIssue(await SendAsync(HttpMethod.Patch, $"repos/{_repository}/issues/{number}",
            new JsonObject { ["body"] = body, ["state"] = "closed", ["state_reason"] = "completed" }, ct));

    private async Task<List<JsonNode>> ListAsync(string pathWithQuery, CancellationToken ct)
    {
        var all = new List<JsonNode>();
        for (var page = 1; page <= MaxPages; page++)
        {
            var items = (await SendAsync(HttpMethod.Get, $"{pathWithQuery}per_page={PageSize}&page={page}", null, ct)).AsArray();
            all.AddRange(items.OfType<JsonNode>());
            if (items.Count < PageSize) break;
        }

        return all;
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            // The last line of defence: whatever a view produced, no sensitive value is sent to GitHub.
            foreach (var key in new[] { "title", "body" })
            {
                if (body[key]?.GetValue<string>() is { } text) body[key] = _redact(text);
            }

            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new GitHubApiException(_redact($"GitHub API {method} /{path.Split('?')[0]}: {(int)response.StatusCode} {response.ReasonPhrase}{ErrorMessage(text)}"));
            }

            return JsonNode.Parse(text.Length == 0 ? "{}" : text) ?? new JsonObject();
        }
        catch (HttpRequestException e)
        {
            throw new GitHubApiException(_redact($"GitHub API {method} /{path.Split('?')[0]}: {e.Message}"), e);
        }
        catch (JsonException e)
        {
            throw new GitHubApiException($"GitHub API {method} /{path.Split('?')[0]}: the answer is not JSON", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new GitHubApiException($"GitHub API {method} /{path.Split('?')[0]}: timed out", e);
        }
    }

    /// <summary>GitHub explains errors in a "message" member; only that is shown, never the whole answer.</summary>
    private static string ErrorMessage(string text)
    {
        try
        {
            // Cut: the answer is not ours, and a line of an error message should stay a line.
            return JsonNode.Parse(text)?["message"]?.GetValue<string>() is { } message
                ? $": {(message.Length <= MaxMessage ? message : message[..MaxMessage] + "…")}"
                : "";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "";
        }
    }

    private static IssueComment ToComment(JsonNode node) => Answer(node, "comment", n =>
        new IssueComment(n["id"]!.GetValue<long>(), n["body"]?.GetValue<string>() ?? ""));

    private static Issue ToIssue(JsonNode node) => Answer(node, "issue", n =>
        new Issue(n["number"]!.GetValue<int>(), n["title"]?.GetValue<string>() ?? "", n["body"]?.GetValue<string>() ?? "", n["state"]?.GetValue<string>() ?? "open"));

    /// <summary>An answer without the fields GitHub always sends is GitHub's error, reported like any other.</summary>
    private static T Answer<T>(JsonNode node, string what, Func<JsonNode, T> read)
    {
        try
        {
            return read(node);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new GitHubApiException($"GitHub API: the answer is not a{(what == "issue" ? "n" : "")} {what}", e);
        }
    }
}
