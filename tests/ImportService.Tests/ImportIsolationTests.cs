using System.Net;
using Warehouse.ImportService.Model;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.ImportService.Tests;

/// <summary>
/// An import carries its uploader's warehouses: rows of any other warehouse are rejected by line, the job is
/// invisible to callers whose token does not cover the same warehouses, and a token with no warehouse imports nothing.
/// </summary>
[Collection(ImportServiceCollection.Name)]
public sealed class ImportIsolationTests(ImportServiceFixture fixture)
{
    private readonly Uploader _uploader = new(fixture);
    private readonly string _theirs = "IMP-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Rows_of_another_warehouse_fail_the_file_by_line_and_nothing_is_written()
    {
        var mine = _uploader.Warehouse;
        var csv = $"{ImportApiClient.Header}\n{mine},pick,S1,1,A,,\n{_theirs},pick,S2,1,A,,\n{mine},pick,S3,1,A,,\n{_theirs},count,S4,1,A,,\n";

        var view = await _uploader.Planner.ImportAsync(csv);

        Assert.Equal((ImportStatuses.Failed, 4L, 0L, 2L), (view.Job.Status, view.Job.TotalRows, view.Job.ImportedRows, view.Job.RejectedRows));
        Assert.Equal([(3L, "warehouse_id"), (5L, "warehouse_id")], view.Errors.Select(e => (e.Line, e.Field)));
        Assert.All(view.Errors, e => Assert.Equal($"Your token does not cover warehouse {_theirs}.", e.Message));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id IN ($1, $2)", mine, _theirs));
    }

    [Fact]
    public async Task Skipping_bad_rows_imports_only_the_uploaders_warehouses()
    {
        var mine = _uploader.Warehouse;
        var csv = $"{ImportApiClient.Header}\n{mine},pick,S1,1,A,,\n{_theirs},pick,S2,1,A,,\n";

        var view = await _uploader.Planner.ImportAsync(csv, skipInvalidRows: true);

        Assert.Equal((ImportStatuses.Succeeded, 1L, 1L), (view.Job.Status, view.Job.ImportedRows, view.Job.RejectedRows));
        Assert.Equal((1L, 0L), (await fixture.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", mine),
            await fixture.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", _theirs)));
    }

    [Fact]
    public async Task A_job_is_invisible_to_planners_of_other_warehouses_and_visible_to_its_own_and_admins()
    {
        var view = await _uploader.Planner.ImportAsync($"{ImportApiClient.Header}\n{_uploader.Warehouse},pick,S1,1,A,,\n");
        var path = $"/api/imports/{view.Job.Id}";
        Assert.Equal(Uploader.FixedWarehouses.Append(_uploader.Warehouse).Order(StringComparer.Ordinal), view.Job.Warehouses!);

        foreach (var stranger in new[] { fixture.Client(Roles.Planner, _theirs), fixture.Client(Roles.Planner), fixture.Client(Roles.Planner, _uploader.Warehouse) })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"{path}/cancel", null)).StatusCode);
        }

        var colleague = fixture.Client(Roles.Planner, [_theirs, _uploader.Warehouse, .. Uploader.FixedWarehouses]);
        Assert.Equal(view.Job.Id, (await (await colleague.GetAsync(path)).ReadAsync<ImportJobView>(HttpStatusCode.OK)).Job.Id);
        Assert.Equal(view.Job.Id, (await (await fixture.Client(Roles.Admin).GetAsync(path)).ReadAsync<ImportJobView>(HttpStatusCode.OK)).Job.Id);
    }

    [Fact]
    public async Task A_planner_without_a_warehouse_is_refused_before_upload_and_no_job_is_created()
    {
        var jobsBefore = await fixture.ScalarAsync("SELECT count(*) FROM import_jobs");

        var problem = await (await fixture.Client(Roles.Planner).UploadAsync($"{ImportApiClient.Header}\n{_theirs},pick,S1,1,A,,\n"))
            .ExpectAsync(HttpStatusCode.Forbidden);

        Assert.Equal("No warehouse in your token", problem.GetProperty("title").GetString());
        Assert.Equal(jobsBefore, await fixture.ScalarAsync("SELECT count(*) FROM import_jobs"));
    }

    [Fact]
    public async Task An_admin_imports_into_any_warehouse()
    {
        var view = await fixture.Client(Roles.Admin).ImportAsync($"{ImportApiClient.Header}\n{_theirs},pick,S1,1,A,,\n{_uploader.Warehouse},pick,S2,1,A,,\n");

        Assert.Equal((ImportStatuses.Succeeded, 2L), (view.Job.Status, view.Job.ImportedRows));
        Assert.Null(view.Job.Warehouses);
    }
}
