using Newtonsoft.Json.Linq;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Schema;

/// <summary>
/// The JSON view of a spec tree for schema validation, remembering which node every token came from so errors point
/// at the YAML that caused them.
/// </summary>
internal sealed class SpecJson
{
    private readonly Dictionary<JToken, SpecNode> _origins = new(ReferenceEqualityComparer.Instance);

    private SpecJson(JToken root) => Root = root;

    public JToken Root { get; }

    /// <summary>The node a token (or, for a property, its key) came from.</summary>
    public SpecNode? OriginOf(JToken? token) => token is not null && _origins.TryGetValue(token, out var node) ? node : null;

    /// <summary>Converts without recursion; the reader has already bounded the expanded size.</summary>
    public static SpecJson From(SpecNode root)
    {
        var pending = new Stack<(SpecNode Node, JContainer Parent, string? Key)>();
        JToken? rootToken = null;
        var json = new SpecJson(new JObject());
        var work = new Stack<(SpecNode Node, Action<JToken> Attach)>();
        work.Push((root, token => rootToken = token));
        while (work.Count > 0)
        {
            var (node, attach) = work.Pop();
            JToken token;
            switch (node)
            {
                case SpecMapping mapping:
                    var jsonObject = new JObject();
                    foreach (var entry in mapping.Entries)
                    {
                        var property = new JProperty(entry.Key.RawText, JValue.CreateNull());
                        jsonObject.Add(property);
                        json._origins[property] = entry.Key;
                        work.Push((entry.Value, value => property.Value = value));
                    }

                    token = jsonObject;
                    break;
                case SpecSequence sequence:
                    var array = new JArray();
                    foreach (var item in sequence.Items)
                    {
                        var slot = JValue.CreateNull();
                        array.Add(slot);
                        work.Push((item, value => slot.Replace(value)));
                    }

                    token = array;
                    break;
                case SpecScalar scalar:
                    token = scalar.Value switch
                    {
                        null => JValue.CreateNull(),
                        string text => new JValue(text),
                        bool flag => new JValue(flag),
                        long number => new JValue(number),
                        double number => new JValue(number),
                        var other => new JValue(other.ToString()),
                    };
                    break;
                default:
                    throw new InvalidOperationException($"unexpected node {node.GetType().Name}");
            }

            json._origins[token] = node;
            attach(token);
        }

        return new SpecJson(rootToken!) { }.WithOrigins(json._origins);
    }

    private SpecJson WithOrigins(Dictionary<JToken, SpecNode> origins)
    {
        foreach (var (token, node) in origins)
        {
            _origins[token] = node;
        }

        return this;
    }
}
