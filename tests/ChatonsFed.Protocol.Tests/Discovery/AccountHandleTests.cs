using ChatonsFed.Protocol.Discovery;

namespace ChatonsFed.Protocol.Tests.Discovery;

public class AccountHandleTests
{
    [Theory]
    [InlineData("acct:chaton-0001@chaton.example", "chaton-0001", "chaton.example")]
    [InlineData("@chaton-0001@chaton.example", "chaton-0001", "chaton.example")]
    [InlineData("chaton-0001@chaton.example", "chaton-0001", "chaton.example")]
    [InlineData("ACCT:Alice@Social.Example", "Alice", "social.example")]
    [InlineData("acct:alice@127.0.0.1:44917", "alice", "127.0.0.1:44917")]
    [InlineData("acct:alice@localhost:3000", "alice", "localhost:3000")]
    [InlineData("acct:al%69ce@social.example", "alice", "social.example")]
    [InlineData("acct:carol@example.com", "carol", "example.com")]
    public void Accepted_forms(string text, string name, string host)
    {
        var handle = AccountHandle.Parse(text);

        Assert.Equal(name, handle.Name);
        Assert.Equal(host, handle.Host);
        Assert.Equal($"acct:{name}@{host}", handle.ToAcctUri());
        Assert.Equal($"@{name}@{host}", handle.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("alice", "no '@HOST'")]
    [InlineData("acct:alice", "no '@HOST'")]
    [InlineData("@alice", "no '@HOST'")]
    [InlineData("acct:@example.com", "no name")]
    [InlineData("@@example.com", "no name")]
    [InlineData("alice@", "not a valid host")]
    [InlineData("alice@exa mple.com", "white space")]
    [InlineData("alice@example.com:99999", "not a valid host")]
    [InlineData("alice@bad_host!", "not a valid host")]
    [InlineData("acct:alice@example.com?x=1", "'?'")]
    [InlineData("acct:alice@example.com#frag", "'#'")]
    [InlineData("https://example.com/users/alice", "is a URL")]
    [InlineData("acct:al%6@example.com", "percent-encoding")]
    [InlineData("acct:a%40b@example.com", "more than one '@'")]
    public void Refused_forms_say_why(string text, string reason)
    {
        Assert.False(AccountHandle.TryParse(text, out var handle, out var error));
        Assert.Null(handle);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        var thrown = Assert.Throws<ProtocolFormatException>(() => AccountHandle.Parse(text));
        Assert.Equal(error, thrown.Message);
    }
}
