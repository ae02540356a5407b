using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Boltzmann.Data.Cache;

namespace Boltzmann.Data.Tests.Cache;

public sealed class CanonicalJsonTests
{
    /// <summary>
    /// (IEEE-754 bits, ECMAScript String(x)) pairs produced by Node.js: an independent implementation of the number
    /// form RFC 8785 prescribes. Integral doubles of magnitude >= 2^53 are excluded (our rule writes them exactly).
    /// </summary>
    public static readonly TheoryData<string, string> EcmaScriptVectors = new()
    {
        { "305f050c368dcc74", "1.0715660391465826e-75" },
        { "2ceb16e0a1c54aec", "2.5973481493288907e-92" },
        { "97101dce4e7bfb79", "-1.3475090132806154e-197" },
        { "9ad2e144d6e8f2cf", "-1.81996730402717e-179" },
        { "8f8ea9d349428d8e", "-9.643915712060552e-234" },
        { "08f474ffb8e8ab15", "1.5860846119992697e-265" },
        { "2ead854756d71f03", "7.597954524892738e-84" },
        { "0e1fc49bd63b809e", "1.1910593176322935e-240" },
        { "b92199e83f5a101f", "-1.694933913128696e-33" },
        { "353cfc387dfae6b8", "3.0261999441573203e-52" },
        { "a32edabf5585bd75", "-3.238696681491661e-139" },
        { "92fb2dcfc8ae9a19", "-3.0797526843217145e-217" },
        { "bcbb9b7e9a319aef", "-3.831296467316889e-16" },
        { "0f1a50d59c0aa21a", "6.466053826432699e-236" },
        { "80ae2120826571de", "-2.1452846540129615e-305" },
        { "0e1ecd02ed7c0cbd", "1.1547975125429853e-240" },
        { "0d0981e8c1fa7be4", "7.296267179458751e-246" },
        { "3681da7f6993082d", "3.909076791246025e-46" },
        { "9f07b27a78869b5a", "-3.3710794864173703e-159" },
        { "b0ba91e47f6200ec", "-5.874229071700385e-74" },
        { "35f305b0c0fc9252", "8.134710481112139e-49" },
        { "8e39b81de71b7d09", "-3.857101171397437e-240" },
        { "bfcbffff0cbcbf20", "-0.21874988672197393" },
        { "2d1ce28856d20e5e", "2.215603731797175e-91" },
        { "32b911499417aab9", "2.3803041954013153e-64" },
        { "17a8ec88e0da0bac", "1.0669643833474769e-194" },
        { "0cc88eab2f9ad4bb", "4.3902997915267284e-247" },
        { "bc3a5b419a43afd2", "-1.4287870889761718e-18" },
        { "2e3a4ef3496f4112", "5.2900001119406624e-86" },
        { "b809d78e2a2f9b10", "-9.49285634690637e-39" },
        { "8947b5fefda6afa6", "-5.882775229507853e-264" },
        { "bfd0273b10a6d4af", "-0.2523944532980051" },
        { "409b4051eb851eb8", "1744.08" },
        { "bf00dba676a53782", "-0.0000321541" },
        { "3fc840c8472c0e7c", "0.189477" },
        { "c15a6da280000000", "-6928010" },
        { "3f78bc8a0983b75a", "0.00603918" },
        { "bdd344a17daa442d", "-7.00969e-11" },
        { "3ebee2b0f2204d64", "0.0000018409200000000002" },
        { "c0bd16b333333333", "-7446.7" },
        { "3e23b88480c8d843", "2.2958e-9" },
        { "c303df3baf9f0000", "-699184000000000" },
        { "3fa94af195d9f178", "0.0493999" },
        { "bdc0ede5fb2d6468", "-3.07942e-11" },
        { "c053340b780346dc", "-76.8132" },
        { "3e1096e3da5a8f98", "9.65631e-10" },
        { "c153cafe00000000", "-5188600" },
        { "3ee256b5ec7b05e2", "0.00000874458" },
        { "bbe564b4ba86b3f1", "-3.62418e-20" },
        { "c197a9b3e0000000", "-99249400" },
        { "3fe7f182235b4edb", "0.748231" },
        { "be49c62b55d254bf", "-1.2002000000000002e-8" },
        { "3e21f622b91d5f32", "2.0909899999999996e-9" },
        { "bb41e052ea9177f9", "-2.95738e-23" },
        { "3a5c4e4be60dd7fc", "1.42908e-27" },
        { "beadb22d92470362", "-8.850100000000001e-7" },
        { "4222956a8f400000", "39908100000" },
        { "c2d2b74e2eb90000", "-82314000000000" },
        { "3d6219548fbc672c", "5.14403e-13" },
        { "433b32358fe51c00", "7655030000000000" },
        { "c0c2aabd70a3d70a", "-9557.48" },
        { "3e0cf7eca90ab024", "8.43093e-10" },
        { "bea238463c0edf8b", "-5.42993e-7" },
        { "41f9a116ac000000", "6879800000" },
        { "bd3abfa216ddfa6b", "-9.502999999999999e-14" },
        { "4214f4e516000000", "22502000000" },
        { "c27416e001080000", "-1380530000000" },
        { "41fda0ecb9000000", "7953370000" },
        { "bba3eaef4e29b4b0", "-2.1088700000000003e-21" },
        { "401c85c3dee78184", "7.13063" },
        { "c268781afe100000", "-840754000000" },
        { "4335917139eba401", "6070890000000001" },
        { "413fbcce00000000", "2079950" },
        { "bd01927231874ba4", "-7.803559999999999e-15" },
        { "bb1e2a256b776ae8", "-6.2379e-24" },
        { "3fb999999999999a", "0.1" },
        { "3fd3333333333334", "0.30000000000000004" },
        { "3e7ad7f29abcaf48", "1e-7" },
        { "3eb0c6f7a0b5ed8d", "0.000001" },
        { "3c36b082c2148b8e", "1.23e-18" },
        { "0000000000000001", "5e-324" },
        { "4011666666666666", "4.35" },
        { "3fe0000000000000", "0.5" },
        { "c004000000000000", "-2.5" },
        { "0000000000000003", "1.5e-323" },
        { "3eb4b3fd5942cd96", "0.000001234" },
        { "4132d68720000000", "1234567.125" },
        { "81a56e1fc2f8f359", "-1e-300" },
    };

    [Theory]
    [MemberData(nameof(EcmaScriptVectors))]
    public void Doubles_are_written_like_ecmascript(string bitsHex, string expected)
    {
        var d = BitConverter.Int64BitsToDouble(long.Parse(bitsHex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        // Feed the 17-significant-digit spelling (not the shortest) so the test also checks the shortening.
        var literal = d.ToString("E16", CultureInfo.InvariantCulture);
        Assert.Equal(expected, CanonicalJson.Canonicalize(literal));
    }

    [Fact]
    public void Objects_are_sorted_ordinally_without_whitespace()
    {
        var text = """ { "b" : 1, "a" : [ true, null, "x" ], "B": { "z": false, "Z": 2.50 }, "é": 0, "aa": -0 } """;
        Assert.Equal("""{"B":{"Z":2.5,"z":false},"a":[true,null,"x"],"aa":0,"b":1,"é":0}""", CanonicalJson.Canonicalize(text));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("1e0")]
    [InlineData("1E+0")]
    [InlineData("10e-1")]
    [InlineData("0.1e1")]
    [InlineData("1.000000000000000000000000001")] // rounds to the double 1.0
    public void Spellings_of_one_are_one(string literal)
        => Assert.Equal("1", CanonicalJson.Canonicalize(literal));

    [Theory]
    [InlineData("18446744073709551615", "18446744073709551615")]   // 2^64-1 exact (a double would round it)
    [InlineData("1.8446744073709551615e19", "18446744073709551615")]
    [InlineData("9007199254740993", "9007199254740993")]           // 2^53+1 exact
    [InlineData("9007199254740993.0", "9007199254740993")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("1e19", "10000000000000000000")]
    [InlineData("18446744073709551616", "18446744073709552000")]   // 2^64: beyond the exact range, ECMAScript form
    [InlineData("1e21", "1e+21")]
    [InlineData("-0", "0")]
    [InlineData("-0.0e-5", "0")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1.5e-7", "1.5e-7")]
    [InlineData("1e-400", "0")]                                    // underflows to the double 0
    public void Integers_are_exact_in_the_64_bit_range(string literal, string expected)
        => Assert.Equal(expected, CanonicalJson.Canonicalize(literal));

    [Fact]
    public void Random_doubles_round_trip_and_ignore_spelling()
    {
        var rng = new System.Random(20261123);
        Span<byte> bytes = stackalloc byte[8];
        var exactRegion = 0;
        for (var i = 0; i < 40000; i++)
        {
            double d;
            if (i % 2 == 0)
            {
                rng.NextBytes(bytes); // every exponent equally likely
                d = BitConverter.ToDouble(bytes);
                if (!double.IsFinite(d)) continue;
            }
            else
            {
                d = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-30, 31)); // every decade equally likely
            }
            var r = d.ToString("R", CultureInfo.InvariantCulture);
            var shortest = CanonicalJson.Canonicalize(r);
            Assert.Equal(d == 0 ? 0.0 : d, double.Parse(shortest, CultureInfo.InvariantCulture));

            var integral = Math.Floor(d) == d;
            if (integral && Math.Abs(d) >= 9007199254740992.0 && d >= -9223372036854775808.0 && d < 18446744073709551616.0)
            {
                // Exact-integer range beyond 2^53: the literal's exact decimal value is kept, computed here independently.
                Assert.Equal(decimal.Parse(r, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), shortest);
                var allDigits = new BigInteger(d).ToString(CultureInfo.InvariantCulture);
                Assert.Equal(allDigits, CanonicalJson.Canonicalize(allDigits));
                exactRegion++;
                continue;
            }
            Assert.Equal(shortest, CanonicalJson.Canonicalize(d.ToString("E16", CultureInfo.InvariantCulture)));
            Assert.Equal(shortest, CanonicalJson.Canonicalize(d.ToString("E25", CultureInfo.InvariantCulture)));
            if (integral && Math.Abs(d) < 9007199254740992.0)
                Assert.Equal(new BigInteger(d).ToString(CultureInfo.InvariantCulture), shortest);
        }
        Assert.True(exactRegion > 50, $"only {exactRegion} samples in [2^53, 2^64)");
    }

    [Fact]
    public void Strings_escape_only_what_json_requires()
    {
        var node = new JsonObject { ["s"] = "q\"b\\\n\t\u0001\u001f/<>+é😀\u2028" };
        Assert.Equal("{\"s\":\"q\\\"b\\\\\\n\\t\\u0001\\u001f/<>+é😀\u2028\"}", CanonicalJson.Serialize(node));
    }

    [Fact]
    public void Canonical_form_is_idempotent_and_node_and_element_agree()
    {
        const string text = """{"z":[1.50,{"y":1e2,"x":"é"}],"a":{"c":null,"b":[]},"n":-12.5e-3}""";
        var once = CanonicalJson.Canonicalize(text);
        Assert.Equal(once, CanonicalJson.Canonicalize(once));
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(once, CanonicalJson.Serialize(doc.RootElement));
        Assert.Equal(once, CanonicalJson.Serialize(JsonNode.Parse(text)));
        Assert.Equal("""{"a":{"b":[],"c":null},"n":-0.0125,"z":[1.5,{"x":"é","y":100}]}""", once);
    }

    [Fact]
    public void Clr_values_in_nodes_are_canonicalised_by_value()
    {
        var fromClr = new JsonObject { ["f"] = 0.5f, ["d"] = 2.0, ["m"] = 3.10m, ["u"] = ulong.MaxValue, ["i"] = -7 };
        var fromText = JsonNode.Parse("""{"i":-7,"u":18446744073709551615,"m":3.1,"d":2,"f":5e-1}""");
        Assert.Equal(CanonicalJson.Serialize(fromText), CanonicalJson.Serialize(fromClr));
        Assert.Equal("null", CanonicalJson.Serialize((JsonNode?)null));
    }

    [Fact]
    public void Duplicate_keys_are_rejected_with_their_path()
    {
        var e = Assert.Throws<ArgumentException>(() => CanonicalJson.Canonicalize("""{"a":{"k":1,"k":2}}"""));
        Assert.Contains("'k'", e.Message);
        Assert.Contains("$.a", e.Message);
    }

    [Fact]
    public void Invalid_input_is_rejected_clearly()
    {
        Assert.Throws<ArgumentException>(() => CanonicalJson.Canonicalize("{\"a\":"));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Canonicalize("1e400"));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Canonicalize("\"\\ud800\""));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize(new JsonObject { ["x"] = double.NaN }));
    }
}
