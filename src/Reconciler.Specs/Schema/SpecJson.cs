using Newtonsoft.Json.Linq;
using Reconciler.Core.Specs;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Schema;

/// <summary>
/// The JSON view of a spec tree for schema validation, remembering which node every token came from so errors point
/// at the YAML that caused them.
/// </summary>
internal sealed class SpecJson
{
    private readonly Dictionary<JToken, SpecNode> _origins;

    private SpecJson(JToken root, Dictionary<JToken, SpecNode> origins)
    {
        Root = root;
        _origins = origins;
    }

    public JToken Root { get; }

    /// <summary>The node a token came from; for a property, its key.</summary>
    public SpecNode? OriginOf(JToken? token) =>
        token is not null && _origins.TryGetValue(token, out var node) ? node : null;

    /// <summary>Converts without recursion; the reader has already bounded the size with aliases expanded.</summary>
    public static SpecJson From(SpecNode root)
    {
        var origins = new Dictionary<JToken, SpecNode>(ReferenceEqualityComparer.Instance);
        JToken? rootToken = null;
        var work = new Stack<(SpecNode Node, Action<JToken> Attach)>();
        work.Push((root, token => rootToken = token));
        while (work.Count > 0)
        {
            var (node, attach) = work.Pop();
            var token = CreateToken(node, origins, work);
            origins[token] = node;
            attach(token);
        }

        return new SpecJson(rootToken!, origins);
    }

    private static JToken CreateToken(
        SpecNode node,
        Dictionary<JToken, SpecNode> origins,
        Stack<(SpecNode Node, Action<JToken> Attach)> work)
    {
        switch (node)
        {
            case SpecMapping mapping:
                var jsonObject = new JObject();
                foreach (var entry in mapping.Entries)
                {
                    var property = new JProperty(entry.Key.RawText, JValue.CreateNull());
                    jsonObject.Add(property);
                    origins[property] = entry.Key;
                    work.Push((entry.Value, value => property.Value = value));
                }

                return jsonObject;
            case SpecSequence sequence:
                var array = new JArray();
                foreach (var item in sequence.Items)
                {
                    var slot = JValue.CreateNull();
                    array.Add(slot);
                    work.Push((item, value => slot.Replace(value)));
                }

                return array;
            case SpecScalar scalar:
                return scalar.Value switch
                {
                    null => JValue.CreateNull(),
                    bool flag => new JValue(flag),
                    long number => new JValue(number),
                    double number => new JValue(number),
                    var other => new JValue(other.ToString()),
                };
            default:
                throw new InvalidOperationException($"unexpected node {node.GetType().Name}");
        }
    }
}
