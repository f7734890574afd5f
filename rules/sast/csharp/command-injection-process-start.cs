using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Ops
{
    public class ReportsController : Controller
    {
        [HttpPost]
        public IActionResult Export(string format, string file)
        {
            // ruleid: csharp.command-injection-process-start
            Process.Start("cmd.exe", "/c export.bat " + file);
            var psi = new ProcessStartInfo("/usr/bin/convert");
            // ruleid: csharp.command-injection-process-start
            psi.Arguments = $"{file} out.{format}";
            var info = new ProcessStartInfo
            {
                FileName = "/bin/sh",
                // ruleid: csharp.command-injection-process-start
                Arguments = "-c \"gzip " + file + "\"",
            };
            // ok: csharp.command-injection-process-start
            Process.Start("/usr/local/bin/export", "--all");
            var safe = new ProcessStartInfo("/usr/bin/convert");
            // ok: csharp.command-injection-process-start
            safe.ArgumentList.Add(file);
            // ok: csharp.command-injection-process-start
            safe.Arguments = "--version";
            return Ok(Process.Start(psi)?.Id + Process.Start(info)?.Id + Process.Start(safe)?.Id);
        }
    }
}
