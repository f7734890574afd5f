using Microsoft.AspNetCore.Mvc;

namespace Bank.Login
{
    public class AccountController : Controller
    {
        [HttpPost]
        public IActionResult Login(LoginModel model, string returnUrl)
        {
            if (!ModelState.IsValid)
            {
                // ok: csharp.open-redirect
                return Redirect("/account/login?error=1");
            }
            // ruleid: csharp.open-redirect
            return Redirect(returnUrl);
        }

        [HttpGet]
        public IActionResult Back()
        {
            // ruleid: csharp.open-redirect
            return new RedirectResult(Request.Query["next"]);
        }

        [HttpGet]
        public IActionResult Continue(string returnUrl, string tab)
        {
            if (tab != null)
            {
                // ok: csharp.open-redirect
                return Redirect("/accounts/overview?tab=" + tab);
            }
            // ok: csharp.open-redirect
            return LocalRedirect(returnUrl);
        }

        public void Legacy()
        {
            // ruleid: csharp.open-redirect
            Response.Redirect(Request.Query["target"]);
        }
    }

    public class LoginModel
    {
        public string User { get; set; }
    }
}
