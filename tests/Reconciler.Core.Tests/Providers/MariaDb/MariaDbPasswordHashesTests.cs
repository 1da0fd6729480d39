using Reconciler.Core.Resources.MariaDb;

namespace Reconciler.Core.Tests.Providers.MariaDb;

/// <summary>The hashes are checked against values MariaDB and Dovecot made themselves.</summary>
public class MariaDbPasswordHashesTests
{
    [Fact]
    public void Native_hash_is_the_one_MariaDB_computes()
    {
        // SELECT PASSWORD('secret') on MariaDB 10.11.
        Assert.Equal("*14E65567ABDB5135D0CFD9A70B3032C179A49EE7", PasswordHashes.Native("secret"));
        Assert.True(PasswordHashes.IsNative("*14e65567abdb5135d0cfd9a70b3032c179a49ee7", "secret"));
        Assert.False(PasswordHashes.IsNative("*14E65567ABDB5135D0CFD9A70B3032C179A49EE7", "Secret"));
        Assert.False(PasswordHashes.IsNative("invalid", "secret"));
        Assert.False(PasswordHashes.IsNative(null, "secret"));
    }

    [Fact]
    public void A_hash_Dovecot_made_verifies_and_a_wrong_password_does_not()
    {
        // doveadm pw -s SSHA512 -p 'correct horse' (Dovecot 2.3, a 4-byte salt).
        const string Dovecot = "{SSHA512}vXW2x7cpDiisKbaWnCsd6TaM2cWye21Hz12CM3GKMXPgDdWFTUMxdTOSl6kvhuNSQVtgD4A0Rg+eNN0SXa+t/GrLuEM=";

        Assert.True(PasswordHashes.IsSsha512(Dovecot, "correct horse"));
        Assert.False(PasswordHashes.IsSsha512(Dovecot, "correct horse "));
        Assert.False(PasswordHashes.IsSsha512("{SSHA512}not base64!", "correct horse"));
        Assert.False(PasswordHashes.IsSsha512("{SSHA512}AAAA", "correct horse"));
        Assert.False(PasswordHashes.IsSsha512("correct horse", "correct horse"));
        Assert.False(PasswordHashes.IsSsha512(null, "correct horse"));
    }

    [Fact]
    public void Each_SSHA512_write_gets_a_fresh_salt_and_verifies()
    {
        var first = PasswordHashes.Ssha512("pässword");
        var second = PasswordHashes.Ssha512("pässword");

        Assert.StartsWith("{SSHA512}", first);
        Assert.NotEqual(first, second);
        Assert.True(PasswordHashes.IsSsha512(first, "pässword"));
        Assert.True(PasswordHashes.IsSsha512(second, "pässword"));
        Assert.Equal(64 + 16, Convert.FromBase64String(first["{SSHA512}".Length..]).Length);
    }
}
