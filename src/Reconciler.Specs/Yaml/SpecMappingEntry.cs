namespace Reconciler.Specs.Yaml;

internal sealed record SpecMappingEntry(SpecScalar Key, SpecNode Value);
