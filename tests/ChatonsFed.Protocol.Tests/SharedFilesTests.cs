namespace ChatonsFed.Protocol.Tests;

public class SharedFilesTests
{
    [Fact]
    public void Shared_vectors_are_found_beside_the_repository()
    {
        Assert.True(File.Exists(SharedFiles.Vector("jcs-rfc8785.json")), "run the tests from a clone that has ../shared beside it");
    }
}
