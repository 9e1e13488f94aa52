using System.Net;
using Warehouse.Testing;

namespace Warehouse.UnitTests;

public sealed class HttpRecorderTests
{
    [Fact]
    public async Task Records_every_request_answers_what_the_test_chose_and_names_what_came_when_a_wait_fails()
    {
        await using var recorder = new HttpRecorder();
        recorder.Respond("/down", 503);
        using var http = new HttpClient();

        using var down = await http.PostAsync(recorder.Url("down"), new StringContent("payload"));
        using var other = await http.GetAsync(recorder.Url("/anything"));
        var request = await recorder.WaitForAsync(r => r.Path == "/down", TimeSpan.FromSeconds(5), "the POST");
        var missing = await Assert.ThrowsAsync<TimeoutException>(() => recorder.WaitForAsync(r => r.Path == "/never", TimeSpan.FromMilliseconds(300), "a call to /never"));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), (down.StatusCode, other.StatusCode));
        Assert.Equal(("POST", "payload"), (request.Method, request.Body));
        Assert.Contains("a call to /never", missing.Message);
        Assert.Contains("GET /anything", missing.Message);
    }
}
