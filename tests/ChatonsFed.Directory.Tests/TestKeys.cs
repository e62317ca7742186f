using ChatonsFed.Protocol.Keys;

namespace ChatonsFed.Directory.Tests;

/// <summary>Fixed keys for tests and for the examples in spec/. Test keys only: they are public, never use them on a node.</summary>
internal static class TestKeys
{
    /// <summary>The seed of the test Ed25519 key that signs every document the tests build.</summary>
    public static readonly byte[] TestEd25519Seed =
        Convert.FromHexString("4f1effa1604c8448bfbba55b7d556ca5671356d0dd82d59534241301d2fc92b3");

    /// <summary>The public half of a test RSA key, published as the test actor's publicKey.</summary>
    public const string TestRsaPublicKeyPem =
        "-----BEGIN PUBLIC KEY-----\n" +
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA5Zw4qmwzTsNEZ0RN1fF0\n" +
        "0wmQIEfKVNqMEggext/Syg/J1WQmgLYeVsXxvdANtZa04V+WuMtRiaASrvUhrkm6\n" +
        "Yj3EME0fhI3opoFKeyfThu86erY78bSon5Xk1vh0Lbs2y60YZrDQmP5MqL0JU3LA\n" +
        "dwk7LsUiGK9vJbde9Ix5NtlRFrdhRmNd8AKxzi9H52WJIoqXPvFFLoGByNBRX2r9\n" +
        "P/Z2wAqXDLPdOClmEu6jSYhfWg+plnlWQpYC8MpmvE7mxBFpo/V/9h+MJZWvTS8J\n" +
        "Y07D3VHST8dtVm1eBpVHyC8orcnNBULnX/FzsPNGdJQwfvI5FH35kOwWW8AdSRXI\n" +
        "CwIDAQAB\n" +
        "-----END PUBLIC KEY-----\n";

    public static Ed25519KeyPair TestEd25519Key() => Ed25519KeyPair.FromSeed(TestEd25519Seed);
}
