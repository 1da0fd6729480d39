using System.Security.Cryptography;
using System.Text;

namespace Reconciler.Core.Resources.Dkim;

/// <summary>
/// opendkim's files on one host, written whole from every domain declared there: which key signs each domain (KeyTable,
/// SigningTable), whose mail is signed (TrustedHosts), and the daemon's settings (opendkim.conf). Pure text.
/// </summary>
public static class DkimConfig
{
    private const string Header = "# Written by reconciler (dkim kind); a change by hand is drift and is written over.\n";

    /// <summary>Each file's path and content, in <see cref="DkimPaths.ConfigFiles"/> order.</summary>
    /// <param name="signing">Each domain with the selector signing it after this run, or null when its mail is not signed yet.</param>
    public static IReadOnlyList<(string Path, string Content)> Render(IReadOnlyList<(DkimDomainResource Domain, string? Selector)> signing)
    {
        var signed = signing.Where(s => s.Selector is not null).OrderBy(s => s.Domain.Domain, StringComparer.Ordinal).ToList();
        var keyTable = new StringBuilder(Header);
        var signingTable = new StringBuilder(Header);
        foreach (var (domain, selector) in signed)
        {
            var keyName = $"{selector}._domainkey.{domain.Domain}";
            keyTable.Append(keyName).Append(' ').Append(domain.Domain).Append(':').Append(selector).Append(':')
                .Append(DkimPaths.KeyFile(domain.Domain, selector!)).Append('\n');
            signingTable.Append("*@").Append(domain.Domain).Append(' ').Append(keyName).Append('\n');
        }

        var trusted = new[] { "127.0.0.1", "::1", "localhost" }
            .Concat(signing.SelectMany(s => s.Domain.TrustedHosts).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal);
        var port = signing.Count == 0 ? DkimSectionReader.DefaultMilterPort : signing[0].Domain.MilterPort;
        var conf = new StringBuilder(Header)
            .Append("Syslog\t\t\tyes\n")
            .Append("SyslogSuccess\t\tyes\n")
            .Append("UMask\t\t\t007\n")
            .Append("UserID\t\t\topendkim\n")
            .Append("Mode\t\t\ts\n")
            .Append("Canonicalization\trelaxed/simple\n")
            .Append("OversignHeaders\t\tFrom\n")
            .Append("RequireSafeKeys\t\tyes\n")
            .Append($"Socket\t\t\tinet:{port}@localhost\n")
            .Append("PidFile\t\t\t/run/opendkim/opendkim.pid\n")
            .Append($"KeyTable\t\tfile:{DkimPaths.KeyTable}\n")
            .Append($"SigningTable\t\trefile:{DkimPaths.SigningTable}\n")
            .Append($"InternalHosts\t\t{DkimPaths.TrustedHosts}\n")
            .Append($"ExternalIgnoreList\t{DkimPaths.TrustedHosts}\n");
        return
        [
            (DkimPaths.KeyTable, keyTable.ToString()),
            (DkimPaths.SigningTable, signingTable.ToString()),
            (DkimPaths.TrustedHosts, Header + string.Join("\n", trusted) + "\n"),
            (DkimPaths.ConfigFile, conf.ToString()),
        ];
    }

    public static string Digest(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
