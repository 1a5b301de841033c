using PurchasePredict.Workers.Logs;

namespace PurchasePredict.Workers.Tests.Unit;

public class RedactionTests
{
    [TestCase("MLFLOW_SERVER='http://user:pass@host:5000' is invalid", "MLFLOW_SERVER='http://***@host:5000' is invalid")]
    [TestCase("at https://token@github.com/x.git and ftp://a@b", "at https://***@github.com/x.git and ftp://***@b")]
    [TestCase("stored at 'https://s.example/b/o?X-Amz-Signature=abc&X-Amz-Expires=60#frag'", "stored at 'https://s.example/b/o?X-Amz-Signature=***&X-Amz-Expires=***#frag'")]
    [TestCase("GET http://host/api?name=m&flag", "GET http://host/api?name=***&flag")]
    [TestCase("Authorization: Bearer eyJhbGciOi.x-y_z", "Authorization: Bearer ***")]
    [TestCase("password=hunter2 token: abc123, api_key=k", "password=*** token: ***, api_key=***")]
    [TestCase("""{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIE", "client_email": "a@b"}""",
        """{"type": "service_account", "private_key": "***", "client_email": "a@b"}""")]
    public void Credentials_AreMasked_TheRestStaysReadable(string text, string expected) =>
        Assert.That(Redaction.Text(text), Is.EqualTo(expected));

    [TestCase("POST /predict 200 10 rows 0.52 ms")]
    [TestCase("column 'price', row 17665: text \"cheap\" where a number is needed")]
    [TestCase("gs://bucket/models/model.lgb")]
    [TestCase("models:/purchase@staging (or stage staging) -> mlflow-artifacts:/1/abc/artifacts/model/model.lgb")]
    public void TextWithoutCredentials_IsUnchanged(string text) =>
        Assert.That(Redaction.Text(text), Is.SameAs(text).Or.EqualTo(text));

    [Test]
    public void Uri_IsShownWithoutItsUserInfo() =>
        Assert.That(Redaction.Uri(new Uri("http://user:pw@127.0.0.1:5000/")), Is.EqualTo("http://***@127.0.0.1:5000/"));
}
