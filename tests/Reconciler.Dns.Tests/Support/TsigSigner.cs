using System.Buffers.Binary;
using System.Security.Cryptography;
using ARSoft.Tools.Net.Dns.DynamicUpdate;

namespace Reconciler.Dns.Tests.Support;

/// <summary>
/// Signs a test server's answer to a TSIG-signed update as RFC 8945 4.3 says (HMAC-SHA256 over the request's MAC, the
/// answer, and the TSIG variables), so the adapter's check of the answer's signature can be tested without bind.
/// </summary>
internal static class TsigSigner
{
    public static byte[] Sign(byte[] request, byte[] response, string keyName, byte[] key, int error = 0, bool withMac = true)
    {
        var requestMac = DnsUpdateMessage.Parse(request).TSigOptions!.Mac;
        var timeSigned = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var algorithm = DnsMessageBuilder.Name("hmac-sha256");
        var owner = DnsMessageBuilder.Name(keyName.ToLowerInvariant());

        var time = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, timeSigned);
        byte[] timeAndFudge = [.. time[2..], 0x01, 0x2C]; // 48-bit time, fudge 300
        byte[] errorAndOther = [(byte)(error >> 8), (byte)error, 0, 0];

        byte[] mac = [];
        if (withMac)
        {
            byte[] signed =
            [
                (byte)(requestMac.Length >> 8), (byte)requestMac.Length, .. requestMac,
                .. response,
                .. owner, 0x00, 0xFF, 0, 0, 0, 0, // class ANY, TTL 0
                .. algorithm, .. timeAndFudge, .. errorAndOther,
            ];
            mac = HMACSHA256.HashData(key, signed);
        }

        byte[] data = [.. algorithm, .. timeAndFudge, (byte)(mac.Length >> 8), (byte)mac.Length, .. mac, response[0], response[1], .. errorAndOther];
        var record = DnsMessageBuilder.Record(keyName, 250, 0, data, @class: 255);
        var signedResponse = response.ToArray();
        var additional = BinaryPrimitives.ReadUInt16BigEndian(signedResponse.AsSpan(10));
        BinaryPrimitives.WriteUInt16BigEndian(signedResponse.AsSpan(10), (ushort)(additional + 1));
        return [.. signedResponse, .. record];
    }
}
