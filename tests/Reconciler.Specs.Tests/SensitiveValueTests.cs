namespace Reconciler.Specs.Tests;

/// <summary>Secrets are found by the schema's x-sensitive keyword, even in specs that fail validation.</summary>
public sealed class SensitiveValueTests
{
    [Fact]
    public void Content_of_a_sensitive_file_is_collected_and_ordinary_content_is_not()
    {
        using var dir = new SpecDirectory()
            .WithDefaultInventory()
            .Write("files.yaml", """
                kind: resources
                target: { group: all }
                files:
                  - path: /etc/app/token
                    content: "tok-3f9a-very-secret"
                    sensitive: true
                  - path: /etc/motd
                    content: "welcome"
                """);

        var result = new SpecLoader().Load(dir.Root);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal(["tok-3f9a-very-secret"], result.Secrets);
    }

    [Fact]
    public void Secrets_are_collected_even_when_the_spec_is_invalid()
    {
        using var dir = new SpecDirectory()
            .Write("inventory.yaml", SpecDirectory.DefaultInventory)
            .Write("files.yaml", """
                kind: resources
                target: { group: all }
                files:
                  - path: /etc/app/token
                    content: "tok-3f9a-very-secret"
                    sensitive: true
                    mood: "0600"
                """);

        var result = new SpecLoader().Load(dir.Root);

        Assert.True(result.HasErrors);
        Assert.Contains("tok-3f9a-very-secret", result.Secrets);
    }
}
