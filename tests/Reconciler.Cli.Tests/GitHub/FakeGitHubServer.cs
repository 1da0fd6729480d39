using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;

namespace Reconciler.Cli.Tests.GitHub;

/// <summary>
/// Stands in for GitHub, which tests cannot reach: a tiny HTTP/1.1 server on 127.0.0.1 (TcpListener, no Kestrel)
/// implementing only the REST endpoints the reconciler uses — list/create/edit issue comments and list/create/edit/close
/// issues — with state kept in memory. Every request is recorded (method, path, body) so tests can check what was sent.
/// Point the CLI at it with GITHUB_API_URL=<see cref="BaseUrl"/>.
/// </summary>
public sealed class FakeGitHubServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private long _nextCommentId = 1000;
    private int _nextIssueNumber = 1;

    public FakeGitHubServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public List<FakeRequest> Requests { get; } = [];

    /// <summary>Comments by issue or pull-request number.</summary>
    public Dictionary<int, List<FakeComment>> Comments { get; } = [];

    public List<FakeIssue> Issues { get; } = [];

    /// <summary>An answer given instead of the normal one when it returns non-null: a test's way to make GitHub refuse.</summary>
    public Func<FakeRequest, (int Status, string Body)?>? Refuse { get; set; }

    /// <summary>GitHub's limit for an issue body or a comment, enforced as GitHub does, with its 422 answer.</summary>
    public const int BodyLimit = 65_536;

    public IReadOnlyList<FakeComment> CommentsOn(int number)
    {
        lock (_gate) return Comments.TryGetValue(number, out var list) ? list.ToList() : [];
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            while (await ReadRequestAsync(stream) is { } request)
            {
                var (status, body) = Handle(request);
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {status} {(status < 300 ? "OK" : "Error")}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {bytes.Length}\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                await stream.WriteAsync(bytes);
            }
        }
    }

    private static async Task<FakeRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var header = new List<byte>();
        var one = new byte[1];
        while (!(header.Count >= 4 && header[^4] == '\r' && header[^3] == '\n' && header[^2] == '\r' && header[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0) return null;
            header.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString(header.ToArray()).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1).Where(l => l.Contains(':'))
            .ToDictionary(l => l[..l.IndexOf(':')].Trim(), l => l[(l.IndexOf(':') + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0;
        var body = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = await stream.ReadAsync(body.AsMemory(read));
            if (n == 0) return null;
            read += n;
        }

        return new FakeRequest(requestLine[0], requestLine[1], Encoding.UTF8.GetString(body), headers.GetValueOrDefault("Authorization"));
    }

    private (int Status, string Body) Handle(FakeRequest request)
    {
        lock (_gate)
        {
            Requests.Add(request);
            if (request.Authorization is null || !request.Authorization.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return (401, """{"message":"Requires authentication"}""");
            }

            if (Refuse?.Invoke(request) is { } refused) return refused;
            if (request.Body.Length > 0 && JsonNode.Parse(request.Body)?["body"]?.GetValue<string>() is { } sent
                && sent.EnumerateRunes().Count() > BodyLimit)
            {
                return (422, """{"message":"Validation Failed","errors":[{"resource":"Issue","code":"custom","field":"body","message":"body is too long (maximum is 65536 characters)"}]}""");
            }

            var uri = new Uri("http://x" + request.Target);
            var query = HttpUtility.ParseQueryString(uri.Query);
            var parts = uri.AbsolutePath.Trim('/').Split('/');
            // repos/{owner}/{repo}/issues[/{n}[/comments]] or repos/{owner}/{repo}/issues/comments/{id}
            if (parts.Length < 4 || parts[0] != "repos" || parts[3] != "issues") return (404, """{"message":"Not Found"}""");
            var input = request.Body.Length > 0 ? JsonNode.Parse(request.Body)!.AsObject() : new JsonObject();
            return (request.Method, parts.Length) switch
            {
                ("GET", 4) => (200, Page(Issues.Where(i => i.State == (query["state"] ?? "open") && (query["labels"] is not { } l || i.Labels.Contains(l))).Select(IssueJson), query)),
                ("POST", 4) => (201, IssueText(AddIssue(input))),
                ("PATCH", 5) when int.TryParse(parts[4], out var n) => Issues.FirstOrDefault(i => i.Number == n) is { } issue ? (200, IssueText(Edit(issue, input))) : (404, """{"message":"Not Found"}"""),
                ("GET", 6) when parts[5] == "comments" => (200, Page((Comments.TryGetValue(int.Parse(parts[4]), out var list) ? list : []).Select(CommentJson), query)),
                ("POST", 6) when parts[5] == "comments" => (201, CommentText(AddComment(int.Parse(parts[4]), input["body"]!.GetValue<string>()))),
                ("PATCH", 6) when parts[4] == "comments" => EditComment(long.Parse(parts[5]), input["body"]!.GetValue<string>()),
                _ => (404, """{"message":"Not Found"}"""),
            };
        }
    }

    private static string Page(IEnumerable<JsonNode> items, System.Collections.Specialized.NameValueCollection query)
    {
        var size = int.Parse(query["per_page"] ?? "30");
        var page = int.Parse(query["page"] ?? "1");
        return new JsonArray(items.Skip((page - 1) * size).Take(size).ToArray()).ToJsonString();
    }

    private FakeIssue AddIssue(JsonObject input)
    {
        var issue = new FakeIssue(_nextIssueNumber++)
        {
            Title = input["title"]!.GetValue<string>(),
            Body = input["body"]?.GetValue<string>() ?? "",
            Labels = input["labels"]?.AsArray().Select(l => l!.GetValue<string>()).ToList() ?? [],
        };
        Issues.Add(issue);
        return issue;
    }

    private static FakeIssue Edit(FakeIssue issue, JsonObject input)
    {
        if (input["title"] is { } title) issue.Title = title.GetValue<string>();
        if (input["body"] is { } body) issue.Body = body.GetValue<string>();
        if (input["state"] is { } state) issue.State = state.GetValue<string>();
        issue.Edits++;
        return issue;
    }

    private FakeComment AddComment(int number, string body)
    {
        if (!Comments.TryGetValue(number, out var list)) Comments[number] = list = [];
        var comment = new FakeComment(_nextCommentId++) { Body = body };
        list.Add(comment);
        return comment;
    }

    private (int, string) EditComment(long id, string body)
    {
        var comment = Comments.Values.SelectMany(c => c).FirstOrDefault(c => c.Id == id);
        if (comment is null) return (404, """{"message":"Not Found"}""");
        comment.Body = body;
        comment.Edits++;
        return (200, CommentText(comment));
    }

    private static JsonNode IssueJson(FakeIssue i) => new JsonObject
    {
        ["number"] = i.Number, ["title"] = i.Title, ["body"] = i.Body, ["state"] = i.State,
        ["labels"] = new JsonArray(i.Labels.Select(l => (JsonNode)new JsonObject { ["name"] = l }).ToArray()),
    };

    private static string IssueText(FakeIssue i) => IssueJson(i).ToJsonString();

    private static JsonNode CommentJson(FakeComment c) => new JsonObject { ["id"] = c.Id, ["body"] = c.Body };

    private static string CommentText(FakeComment c) => CommentJson(c).ToJsonString();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
