namespace PurchasePredict.Pipeline.Tests;

// The repository URL the image's source label shows: never a credential written into it.
public class ImageStepTests
{
    [TestCase("https://user:ghp_secret@github.com/acme/purchase-predict.git", "https://github.com/acme/purchase-predict.git")]
    [TestCase("https://oauth2:glpat-x@gitlab.example/acme/pp", "https://gitlab.example/acme/pp")]
    [TestCase("https://ghp_tokenonly@github.com/acme/pp.git", "https://github.com/acme/pp.git")]
    [TestCase("https://source.developers.google.com/p/my-gcp-project/r/purchase-predict", "https://source.developers.google.com/p/my-gcp-project/r/purchase-predict")]
    [TestCase("git@github.com:acme/purchase-predict.git", "git@github.com:acme/purchase-predict.git")]
    [TestCase("/srv/git/purchase-predict.git", "/srv/git/purchase-predict.git")]
    public void WithoutCredentials_DropsOnlyTheUserAndToken(string url, string shown) =>
        Assert.That(ImageStep.WithoutCredentials(url), Is.EqualTo(shown));
}
