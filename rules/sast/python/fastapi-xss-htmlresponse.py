import html

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

app = FastAPI()


@app.get("/hello/{name}")
async def hello(name: str):
    # ruleid: python.fastapi-xss-htmlresponse
    return HTMLResponse(f"<h1>Hello {name}</h1>")


@app.get("/search", response_class=HTMLResponse)
async def search(q: str = ""):
    # ruleid: python.fastapi-xss-htmlresponse
    return "<p>Results for " + q + "</p>"


@app.post("/comment")
async def comment(request: Request):
    form = await request.form()
    # ruleid: python.fastapi-xss-htmlresponse
    return HTMLResponse(content="<p>" + form["text"] + "</p>", status_code=201)


@app.get("/hello-safe/{name}")
async def hello_safe(name: str):
    # ok: python.fastapi-xss-htmlresponse
    return HTMLResponse(f"<h1>Hello {html.escape(name)}</h1>")


@app.get("/echo")
async def echo(q: str = ""):
    # ok: python.fastapi-xss-htmlresponse
    return PlainTextResponse(q)


@app.get("/count", response_class=HTMLResponse)
async def count(n: int = 0):
    # ok: python.fastapi-xss-htmlresponse
    return f"<p>{int(n) * 2}</p>"


@app.get("/json")
async def as_json(q: str = ""):
    # ok: python.fastapi-xss-htmlresponse
    return {"q": q}
