using System.Collections.Generic;
using System.Data.SqlClient;
using System.Threading.Tasks;
using Dapper;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Accounts
{
    public class AccountsController : Controller
    {
        private readonly string _connectionString = "Server=db;Database=core;Integrated Security=true";

        [HttpGet]
        public IActionResult Search(string owner, int limit)
        {
            using var conn = new SqlConnection(_connectionString);
            conn.Open();
            // ruleid: csharp.sqli-ado-net
            var cmd = new SqlCommand("SELECT * FROM Accounts WHERE Owner = '" + owner + "'", conn);
            var other = conn.CreateCommand();
            // ruleid: csharp.sqli-ado-net
            other.CommandText = $"SELECT TOP {limit} * FROM Accounts WHERE Owner = '{owner}'";
            // ok: csharp.sqli-ado-net
            var safe = new SqlCommand("SELECT * FROM Accounts WHERE Owner = @owner", conn);
            safe.Parameters.AddWithValue("@owner", owner);
            // ok: csharp.sqli-ado-net
            var top = new SqlCommand("SELECT TOP " + limit + " * FROM Accounts", conn);
            return View(cmd.ExecuteReader());
        }

        [HttpGet]
        public async Task<IEnumerable<dynamic>> Transfers(string iban)
        {
            using var db = new SqlConnection(_connectionString);
            // ruleid: csharp.sqli-ado-net
            var rows = await db.QueryAsync("SELECT * FROM Transfers WHERE Iban = '" + iban + "'");
            // ok: csharp.sqli-ado-net
            await db.QueryAsync("SELECT * FROM Transfers WHERE Iban = @iban", new { iban });
            return rows;
        }

        public void Legacy()
        {
            var branch = Request.Query["branch"];
            using var conn = new SqlConnection(_connectionString);
            // ruleid: csharp.sqli-ado-net
            conn.Execute("DELETE FROM Sessions WHERE Branch = '" + branch + "'");
        }
    }
}
