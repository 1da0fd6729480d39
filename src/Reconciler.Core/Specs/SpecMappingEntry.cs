namespace Reconciler.Core.Specs;

public sealed record SpecMappingEntry(SpecScalar Key, SpecNode Value);
