using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Bank.Ledger
{
    public class LedgerController : ControllerBase
    {
        private readonly LedgerContext _db;

        public LedgerController(LedgerContext db)
        {
            _db = db;
        }

        [HttpGet("entries")]
        public IActionResult Entries(string account, string sort)
        {
            // ruleid: csharp.sqli-ef-core-raw
            var rows = _db.Entries.FromSqlRaw("SELECT * FROM Entries WHERE Account = '" + account + "'").ToList();
            // ruleid: csharp.sqli-ef-core-raw
            var sorted = _db.Entries.FromSqlRaw($"SELECT * FROM Entries ORDER BY {sort}").ToList();
            // ok: csharp.sqli-ef-core-raw
            var safe = _db.Entries.FromSqlInterpolated($"SELECT * FROM Entries WHERE Account = {account}").ToList();
            // ok: csharp.sqli-ef-core-raw
            var safe2 = _db.Entries.FromSql($"SELECT * FROM Entries WHERE Account = {account}").ToList();
            // ok: csharp.sqli-ef-core-raw
            var safe3 = _db.Entries.FromSqlRaw("SELECT * FROM Entries WHERE Account = {0}", account).ToList();
            return Ok(rows.Concat(sorted).Concat(safe).Concat(safe2).Concat(safe3));
        }

        [HttpDelete("entries/{id}")]
        public async Task<IActionResult> Delete(string id)
        {
            // ruleid: csharp.sqli-ef-core-raw
            await _db.Database.ExecuteSqlRawAsync("DELETE FROM Entries WHERE Id = " + id);
            return NoContent();
        }
    }
}
