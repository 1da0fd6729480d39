using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Reconciler.Core.Dns;
using Reconciler.Dns.Transport;
using Reconciler.Dns.Wire;

namespace Reconciler.Dns;

/// <summary>
/// The zone's authoritative DNS over the network. Queries go to the one server asked, recursion not desired, and are
/// read by this adapter's own bounded reader (<see cref="DnsResponseReader"/>) over its own bounded exchange
/// (<see cref="DnsExchange"/>); updates are RFC 2136 messages signed with TSIG by ARSoft.Tools.Net. Whatever a server
/// sends or fails to send comes back as a value with a one-line reason in the adapter's words; only the caller's
/// cancellation throws.
/// </summary>
public sealed partial class AuthoritativeDns : IAuthoritativeDns
{
    /// <summary>
    /// Records in one message: far above an honest answer (16 NS names with 8 addresses each is 144), far below the
    /// thousands a 64 KiB message can declare.
    /// </summary>
    private const int MaxRecordsPerMessage = 512;

    private readonly AuthoritativeDnsOptions _options;
    private readonly DnsExchange _exchange;
    private readonly DnsReadLimits _limits;

    public AuthoritativeDns()
        : this(AuthoritativeDnsOptions.Default)
    {
    }

    public AuthoritativeDns(AuthoritativeDnsOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Tries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.QueryTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CallDeadline, TimeSpan.Zero);
        _options = options;
        _exchange = new DnsExchange(options);
        _limits = new DnsReadLimits(MaxRecordsPerMessage, options.MaxTxtStrings, options.MaxTxtRecordBytes);
    }

    public async Task<TxtLookup> TxtAsync(Nameserver server, string name, CancellationToken ct)
    {
        var asked = DnsName.Parse(name, out var problem);
        if (asked is null)
        {
            return new TxtLookup.Unreachable(Reason.Line(problem!));
        }

        using var deadline = StartDeadline(ct);
        try
        {
            var endpoint = new IPEndPoint(server.Address, server.Port);
            var (response, failure) = await AskAsync(endpoint, asked, DnsType.Txt, recursionDesired: false, deadline.Token, ct);
            return response is null ? new TxtLookup.Unreachable(Reason.Line(failure!)) : JudgeTxt(response, endpoint, asked);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new TxtLookup.Unreachable(Reason.Line($"asking {server.Address} port {server.Port} for TXT {Reason.Name(asked)} failed: {e.GetType().Name}"));
        }
    }

    private TxtLookup JudgeTxt(DnsResponse response, IPEndPoint server, DnsName asked)
    {
        var shown = Reason.Name(asked);
        if (response.ResponseCode == 3)
        {
            return response.Authoritative
                ? new TxtLookup.Missing()
                : Unreachable($"{server} is not authoritative for {shown} (NXDOMAIN without the AA bit)");
        }

        if (response.ResponseCode != 0)
        {
            return Unreachable($"{server} answered {Reason.ResponseCode(response.ResponseCode)} for TXT {shown}");
        }

        if (!response.Authoritative)
        {
            return Unreachable($"{server} is not authoritative for {shown} (its answer has no AA bit)");
        }

        var atName = response.Answers.Where(r => r.Class == DnsType.ClassIn && r.Owner.Equals(asked)).ToList();
        if (atName.Any(r => r.Type == DnsType.Cname))
        {
            return Unreachable($"{shown} is an alias (CNAME) at {server}; aliases are not followed, the record must be at the name itself");
        }

        var records = atName.OfType<DnsTxtRecord>().ToList();
        if (records.Count == 0)
        {
            return response.Answers.Count == 0
                ? new TxtLookup.Missing()
                : Unreachable(atName.Count == 0
                    ? $"{server} answered only for other names or classes than {shown}"
                    : $"{server} answered TXT {shown} with records of another type");
        }

        if (records.Count > _options.MaxTxtRecords)
        {
            return Unreachable($"{server} has more than {_options.MaxTxtRecords} TXT records at {shown}");
        }

        return new TxtLookup.Found(records.Select(r => new TxtRecord(r.Strings, r.Ttl)).ToList());

        static TxtLookup Unreachable(string reason) => new TxtLookup.Unreachable(Reason.Line(reason));
    }

    /// <summary>
    /// One question, one answer read and checked against the question: the same name, type and class echoed, a
    /// standard query, not truncated. Null and why not otherwise.
    /// </summary>
    private async Task<(DnsResponse? Response, string? Failure)> AskAsync(
        IPEndPoint server, DnsName name, ushort type, bool recursionDesired, CancellationToken deadline, CancellationToken ct)
    {
        var query = DnsQuery.Encode(NewId(), name, type, recursionDesired);
        var exchanged = await _exchange.AskAsync(server, query, deadline, ct);
        if (exchanged is ExchangeResult.Failure failure)
        {
            return (null, failure.Reason);
        }

        var answer = (ExchangeResult.Answer)exchanged;
        DnsResponse response;
        try
        {
            response = DnsResponseReader.Read(answer.Message, _limits);
        }
        catch (DnsFormatException e)
        {
            return (null, $"{server} sent an answer this adapter refuses: {e.Message}");
        }

        if (response.OperationCode != 0)
        {
            return (null, $"{server} answered with opcode {response.OperationCode}, not a standard query's");
        }

        if (response.Question is not { } echoed || !echoed.Name.Equals(name) || echoed.Type != type || echoed.Class != DnsType.ClassIn)
        {
            return (null, $"{server} answered another question than {DnsType.Name(type)} {Reason.Name(name)}");
        }

        if (response.Truncated)
        {
            return (null, $"{server} sent a truncated answer to {DnsType.Name(type)} {Reason.Name(name)} even over TCP");
        }

        return (response, null);
    }

    private CancellationTokenSource StartDeadline(CancellationToken ct)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_options.CallDeadline);
        return deadline;
    }

    /// <summary>A random id, so that an off-path sender has to guess it (with the random source port the kernel picks).</summary>
    private static ushort NewId()
    {
        Span<byte> bytes = stackalloc byte[2];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadUInt16BigEndian(bytes);
    }
}
