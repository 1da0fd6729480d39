using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Reconciler.Core.Plans;

namespace Reconciler.Core.Tests.Architecture;

/// <summary>The core is model, diff and plan only: no adapters' packages and no I/O of its own.</summary>
public class CoreArchitectureTests
{
    private static readonly Assembly Core = typeof(Plan).Assembly;

    [Theory]
    [InlineData("YamlDotNet")]
    [InlineData("Renci.SshNet")]
    [InlineData("LibGit2Sharp")]
    [InlineData("Scriban")]
    [InlineData("Scriban.Signed")]
    [InlineData("NJsonSchema")]
    public void Core_does_not_reference_adapter_packages(string assemblyName)
    {
        var referenced = Core.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain(referenced, n => string.Equals(n, assemblyName, StringComparison.OrdinalIgnoreCase)
                                               || (n ?? "").StartsWith(assemblyName + ".", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Core_references_only_framework_assemblies()
    {
        var foreign = Core.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n != "netstandard" && n != "mscorlib" && !n.StartsWith("System", StringComparison.Ordinal) && !n.StartsWith("Microsoft.", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(foreign);
    }

    [Fact]
    public void Core_does_no_file_process_network_or_console_io()
    {
        var hits = IoReferences(Core.Location);
        Assert.True(hits.Count == 0, "Reconciler.Core references I/O types:\n" + string.Join("\n", hits));
    }

    [Fact]
    public void The_io_scan_finds_io_in_an_assembly_that_does_io()
    {
        // Guards the scan itself: this test assembly starts processes and touches files, so the scan must say so.
        var hits = IoReferences(typeof(CoreArchitectureTests).Assembly.Location);
        Assert.Contains(hits, h => h.StartsWith("System.Diagnostics.Process", StringComparison.Ordinal));
        Assert.Contains(hits, h => h.StartsWith("System.IO.Directory", StringComparison.Ordinal));
    }

    private static readonly string[] ForbiddenTypes =
    [
        "System.IO.File", "System.IO.Directory", "System.IO.FileStream", "System.IO.FileInfo",
        "System.Diagnostics.Process", "System.Console",
    ];

    private static readonly string[] ForbiddenNamespaces = ["System.Net.Sockets", "System.Net.Http"];

    /// <summary>Plain values that live in an I/O namespace: telling IPv4 from IPv6 is not network access.</summary>
    private static readonly string[] AllowedTypes = ["System.Net.Sockets.AddressFamily"];

    /// <summary>Every type reference (and member reference through one) in the assembly's metadata that is I/O.</summary>
    private static List<string> IoReferences(string assemblyPath)
    {
        using var stream = System.IO.File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();

        string TypeName(TypeReferenceHandle h)
        {
            var t = md.GetTypeReference(h);
            var name = md.GetString(t.Name);
            // Nested types resolve through their declaring type, e.g. System.Diagnostics.Process+... .
            return t.ResolutionScope.Kind == HandleKind.TypeReference
                ? TypeName((TypeReferenceHandle)t.ResolutionScope) + "+" + name
                : md.GetString(t.Namespace) + "." + name;
        }

        bool Forbidden(string fullName) =>
            !AllowedTypes.Contains(fullName)
            && (ForbiddenTypes.Any(f => fullName == f || fullName.StartsWith(f + "+", StringComparison.Ordinal))
                || ForbiddenNamespaces.Any(ns => fullName.StartsWith(ns + ".", StringComparison.Ordinal)));

        var hits = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var h in md.TypeReferences)
        {
            var name = TypeName(h);
            if (Forbidden(name)) hits.Add(name);
        }

        foreach (var h in md.MemberReferences)
        {
            var m = md.GetMemberReference(h);
            var parent = m.Parent.Kind switch
            {
                HandleKind.TypeReference => TypeName((TypeReferenceHandle)m.Parent),
                HandleKind.TypeSpecification => null, // generic instantiations; their definitions are type references above
                _ => null,
            };
            if (parent is not null && Forbidden(parent)) hits.Add($"{parent}::{md.GetString(m.Name)}");
        }

        return hits.ToList();
    }
}
