using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using ARSoft.Tools.Net.Dns.DynamicUpdate;
using Reconciler.Core.Dns;
using Reconciler.Dns.Transport;
using Reconciler.Dns.Wire;
using ArsoftClient = ARSoft.Tools.Net.Dns.DnsClient;
using ArsoftTxtRecord = ARSoft.Tools.Net.Dns.TxtRecord;

namespace Reconciler.Dns;

public sealed partial class AuthoritativeDns
{
    /// <summary>How far the server's clock may be from ours for the signature to count (RFC 8945 recommends 300 s).</summary>
    private static readonly TimeSpan TsigFudge = TimeSpan.FromMinutes(5);

    public Task<string?> ReplaceTxtAsync(DnsUpdateTarget target, string name, int ttl, IReadOnlyList<string> strings, CancellationToken ct) =>
        UpdateAsync(target, name, new TxtValue(strings, ttl), ct);

    public Task<string?> DeleteTxtAsync(DnsUpdateTarget target, string name, CancellationToken ct) =>
        UpdateAsync(target, name, replacement: null, ct);

    private sealed record TxtValue(IReadOnlyList<string> Strings, int Ttl);

    /// <summary>
    /// One UPDATE message: delete the TXT RRset at the name, and when replacing add the one new record, so the server
    /// applies both or neither (RFC 2136 3.4). Signed with TSIG; the answer's signature must verify for NOERROR to count.
    /// </summary>
    private async Task<string?> UpdateAsync(DnsUpdateTarget target, string name, TxtValue? replacement, CancellationToken ct)
    {
        using var deadline = StartDeadline(ct);
        try
        {
            var (message, problem) = Prepare(target, name, replacement);
            if (message is null)
            {
                return Reason.Line(problem!);
            }

            var transport = new UpdateTransport(target.Server.Port, _options.QueryTimeout);
            using var client = new ArsoftClient([target.Server.Address], [transport], disposeTransport: true, (int)_options.CallDeadline.TotalMilliseconds);
            var response = await client.SendUpdateAsync(message, deadline.Token);
            ct.ThrowIfCancellationRequested();
            return response is null
                ? Reason.Line(transport.Problem ?? $"{target.Server} sent no answer to the update that this adapter could read (malformed, or not an answer to it)")
                : JudgeUpdate(response, target);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The exception's own message is not used: nothing here may carry a server's text, or the key.
            return Reason.Line($"updating {Reason.Quote(name)} at {target.Server} failed: {e.GetType().Name}");
        }
    }

    private (DnsUpdateMessage? Message, string? Problem) Prepare(DnsUpdateTarget target, string name, TxtValue? replacement)
    {
        var algorithm = TsigAlgorithmFor(target.Algorithm);
        if (algorithm is null)
        {
            return (null, $"TSIG algorithm {Reason.Quote(target.Algorithm)} is not supported (hmac-sha256, hmac-sha512 or hmac-sha1)");
        }

        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(target.Secret);
        }
        catch (FormatException)
        {
            return (null, $"the TSIG secret of key {Reason.Quote(target.KeyName)} is not base64");
        }

        if (secret.Length == 0)
        {
            return (null, $"the TSIG secret of key {Reason.Quote(target.KeyName)} is empty");
        }

        var zone = DnsName.Parse(target.Zone, out var problem);
        var owner = zone is null ? null : DnsName.Parse(name, out problem);
        var keyName = owner is null ? null : DnsName.Parse(target.KeyName, out problem);
        if (zone is null || owner is null || keyName is null)
        {
            return (null, problem);
        }

        if (!owner.IsAtOrBelow(zone))
        {
            return (null, $"{Reason.Quote(name)} is not in zone {Reason.Quote(target.Zone)}");
        }

        if (replacement is not null && CheckTxtValue(replacement) is { } invalid)
        {
            return (null, invalid);
        }

        var ownerName = ToDomainName(owner);
        var message = new DnsUpdateMessage { ZoneName = ToDomainName(zone) };
        message.Updates.Add(new DeleteAllRecordsUpdate(ownerName, RecordType.Txt));
        if (replacement is not null)
        {
            message.Updates.Add(new AddRecordUpdate(new ArsoftTxtRecord(ownerName, replacement.Ttl, replacement.Strings)));
        }

        message.TSigOptions = new TSigRecord(ToDomainName(keyName), algorithm.Value, DateTime.UtcNow, TsigFudge, message.TransactionID, ReturnCode.NoError, null, secret);
        return (message, null);
    }

    /// <summary>
    /// What the record would be on the wire must be what was asked: ARSoft writes each string as ASCII and cuts it at
    /// 255 bytes without a word, so anything it would change is refused here instead.
    /// </summary>
    private string? CheckTxtValue(TxtValue value)
    {
        if (value.Ttl < 0)
        {
            return $"a TTL of {value.Ttl}";
        }

        if (value.Strings.Count == 0 || value.Strings.Count > _options.MaxTxtStrings)
        {
            return $"a TXT record of {value.Strings.Count} strings (1 to {_options.MaxTxtStrings} are written)";
        }

        for (var i = 0; i < value.Strings.Count; i++)
        {
            var text = value.Strings[i];
            if (text.Length > 255)
            {
                return $"TXT string {i + 1} is {text.Length} characters, more than the 255 one string holds";
            }

            if (text.Any(c => c is < ' ' or > '~'))
            {
                return $"TXT string {i + 1} has a character outside printable ASCII";
            }
        }

        var total = value.Strings.Sum(s => s.Length);
        return total > _options.MaxTxtRecordBytes ? $"a TXT record of {total} bytes, more than {_options.MaxTxtRecordBytes}" : null;
    }

    private static string? JudgeUpdate(DnsUpdateMessage response, DnsUpdateTarget target)
    {
        var server = target.Server;
        var key = Reason.Quote(target.KeyName);

        // The TSIG error field speaks for the key (RFC 8945 5.2); the RCODE is then NOTAUTH.
        switch ((int?)response.TSigOptions?.Error)
        {
            case 16:
                return Reason.Line($"TSIG key {key} not accepted by {server} (BADSIG: the secret or the algorithm differs)");
            case 17:
                return Reason.Line($"TSIG key {key} not accepted by {server} (BADKEY: it knows no such key with that algorithm)");
            case 18:
                return Reason.Line($"TSIG key {key} not accepted by {server} (BADTIME: its clock and this one differ by more than {TsigFudge.TotalSeconds:0} s)");
        }

        var code = (int)response.ReturnCode;
        if (code == 9)
        {
            return Reason.Line($"{server} answered NOTAUTH: it is not the primary of {Reason.Quote(target.Zone)}, or the TSIG key {key} was not accepted");
        }

        if (code == 5)
        {
            return Reason.Line($"{server} answered REFUSED: key {key} may not update TXT records there, or updates are not allowed");
        }

        if (code != 0)
        {
            return Reason.Line($"{server} answered {Reason.ResponseCode(code)} to the update");
        }

        // NOERROR counts only when it is signed with our key: anyone on the path can send an unsigned NOERROR.
        if (response.TSigOptions is not { } signature)
        {
            return Reason.Line($"{server} answered NOERROR without a TSIG signature; whether the update was applied is unknown");
        }

        return signature.ValidationResult == ReturnCode.NoError
            ? null
            : Reason.Line($"{server} answered NOERROR with a TSIG signature that does not verify; whether the update was applied is unknown");
    }

    private static TSigAlgorithm? TsigAlgorithmFor(string algorithm) => algorithm.Trim().TrimEnd('.').ToLowerInvariant() switch
    {
        "hmac-sha256" => TSigAlgorithm.Sha256,
        "hmac-sha512" => TSigAlgorithm.Sha512,
        "hmac-sha1" => TSigAlgorithm.Sha1,
        _ => null,
    };

    private static DomainName ToDomainName(DnsName name) =>
        new(name.Labels.Select(label => System.Text.Encoding.ASCII.GetString(label)).ToArray());
}
