using System.Text.RegularExpressions;
using Reconciler.Core.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Resources;
using Reconciler.Core.Specs;

namespace Reconciler.Integration.Tests.ThrowAwayKind;

/// <summary>
/// <c>notes: [ { name, text } ]</c> — a kind made only to prove the contract: everything it needs is in this folder,
/// and it joins a run through a catalog (<see cref="KindCatalog.With"/>), with no line added anywhere else.
/// </summary>
public sealed class NoteKind : IResourceKind
{
    public const string Directory = "/etc/reconciler-notes";

    /// <summary>A note's name: also its file's name, so no '/', no leading dot.</summary>
    public const string NamePattern = "^[a-z][a-z0-9-]{0,31}$";

    public IReadOnlyList<string> Sections => ["notes"];

    public IReadOnlyList<string> PlanKinds => [NoteResource.KindName];

    public IReadOnlyList<Type> ResourceTypes => [typeof(NoteResource)];

    /// <summary>After files: a spec may create the notes' directory with its own mode first.</summary>
    public IReadOnlyList<Type> After => [typeof(Core.Resources.Files.FileKind)];

    public string SchemaFragment => """
        {
          "properties": {
            "notes": { "type": "array", "items": { "$ref": "#/definitions/note" } }
          },
          "definitions": {
            "note": {
              "type": "object",
              "additionalProperties": false,
              "required": ["name", "text"],
              "properties": {
                "name": { "type": "string", "pattern": "^[a-z][a-z0-9-]{0,31}$" },
                "text": { "type": "string" }
              }
            }
          }
        }
        """;

    public IReadOnlyList<KindGrammar> Grammars => [new("definitions/note/properties/name/pattern", NamePattern)];

    public IReadOnlyList<IResourceProvider> CreateProviders() => [new NoteProvider()];

    public string Identity(Resource resource) => resource.Address.ToString();

    public IReadOnlyList<HostileSample> HostileSamples(HostileText hostile) =>
        [new("note", new NoteProvider(), [new NoteResource("hostile", hostile.Text("note"), HostileSample.At)], []) { SharedFacts = new Dictionary<string, IReadOnlyList<string>> { [FileFacts.Unit] = ["N\t0"] } }];

    /// <summary>The rule: a note is read by everyone on the host, so it may not say "password".</summary>
    public IEnumerable<ResourceDeclaration> Read(SpecMapping file, SpecReading reading)
    {
        foreach (var item in file.Items("notes").Cast<SpecMapping>())
        {
            var name = item.Scalar("name")!;
            var text = item.Scalar("text")!;
            if (!Name.IsMatch(name.RawText))
            {
                reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, $"note name '{name.RawText}' does not match {NamePattern}", name.Location));
                continue;
            }

            if (text.RawText.Contains("password", StringComparison.OrdinalIgnoreCase))
            {
                reading.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, $"note '{name.RawText}' says 'password': every local user can read a note", text.Location));
                continue;
            }

            yield return new ResourceDeclaration(new NoteResource(name.RawText, text.RawText, item.Location), null);
        }
    }

    /// <summary>The grammar as the code runs it: '$' would also match before a final newline.</summary>
    private static readonly Regex Name = new(NamePattern[..^1] + @"\z");
}
