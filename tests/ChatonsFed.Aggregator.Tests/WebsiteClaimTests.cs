using ChatonsFed.Aggregator.ChatonsInfosSource;

namespace ChatonsFed.Aggregator.Tests;

/// <summary>What proves that a verified chaton is the organization whose website it gives: its actor lives on that website's host or under it.</summary>
public sealed class WebsiteClaimTests
{
    [Theory]
    [InlineData("https://chaton.example/actor", "https://chaton.example/", true)]
    [InlineData("https://chaton.example:8443/actor", "http://chaton.example/accueil", true)]
    [InlineData("https://fed.chaton.example/actor", "https://chaton.example/", true)]
    [InlineData("https://fed.chaton.example/actor", "https://www.chaton.example/", true)]
    [InlineData("https://www.chaton.example/actor", "https://chaton.example/", true)]
    [InlineData("https://CHATON.example./actor", "https://chaton.EXAMPLE/", true)]
    [InlineData("https://127.0.0.1:4000/actor", "http://127.0.0.1/", true)]
    [InlineData("https://autre.example/actor", "https://chaton.example/", false)]
    [InlineData("https://evilchaton.example/actor", "https://chaton.example/", false)]
    [InlineData("https://chaton.example.evil.example/actor", "https://chaton.example/", false)]
    [InlineData("https://chaton.example/actor", "https://fed.chaton.example/", false)]
    [InlineData("https://anything.example/actor", "https://www.example/", false)]
    [InlineData("https://x.localhost/actor", "https://localhost/", false)]
    [InlineData("https://10.0.0.1/actor", "https://0.0.1/", false)]
    [InlineData("https://chaton.example/actor", "ftp://chaton.example/", false)]
    [InlineData("https://chaton.example/actor", null, false)]
    [InlineData("not a url", "https://chaton.example/", false)]
    public void An_actor_lives_on_a_websites_host_or_under_it_and_nowhere_else(string actorId, string? website, bool expected) =>
        Assert.Equal(expected, UnsignedDirectory.LivesOnWebsiteHost(actorId, website));
}
