using System.IO;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Statements
{
    public class StatementsController : Controller
    {
        private const string BaseDir = "/srv/statements";

        [HttpGet]
        public IActionResult Download(string name)
        {
            // ruleid: csharp.path-traversal
            var bytes = System.IO.File.ReadAllBytes(Path.Combine(BaseDir, name));
            // ruleid: csharp.path-traversal
            return PhysicalFile(BaseDir + "/" + name, "application/pdf");
        }

        [HttpPost]
        public IActionResult Upload(IFormFile file)
        {
            // ruleid: csharp.path-traversal
            using var stream = new FileStream(Path.Combine("/srv/uploads", file.FileName), FileMode.Create);
            file.CopyTo(stream);
            // ok: csharp.path-traversal
            using var safe = new FileStream(Path.Combine("/srv/uploads", Path.GetFileName(file.FileName)), FileMode.Create);
            // ok: csharp.path-traversal
            using var random = new FileStream(Path.Combine("/srv/uploads", Path.GetRandomFileName()), FileMode.Create);
            return Ok();
        }

        [HttpGet]
        public IActionResult Fixed(string month)
        {
            // ok: csharp.path-traversal
            var index = System.IO.File.ReadAllText(Path.Combine(BaseDir, "index.json"));
            // ok: csharp.path-traversal
            return PhysicalFile(Path.Combine(BaseDir, Path.GetFileName(month) + ".pdf"), "application/pdf");
        }
    }
}
