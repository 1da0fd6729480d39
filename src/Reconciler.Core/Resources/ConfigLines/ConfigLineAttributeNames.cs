using Reconciler.Core.Plans;

namespace Reconciler.Core.Resources.ConfigLines;

/// <summary>The attribute a config line's plan names: its key, as the spec declares it.</summary>
public static class ConfigLineAttributeNames
{
    public static AttributeName Key(string key) => new(key);
}
