import xml.etree.ElementTree as ET

import elementpath
import lxml.etree
from flask import Flask, request

app = Flask(__name__)
CATALOG = "/srv/data/catalog.xml"


@app.route("/books")
def books():
    author = request.args.get("author", "")
    root = lxml.etree.parse(CATALOG)
    # ruleid: python.xpath-injection
    nodes = root.xpath(f"//book[author='{author}']/title/text()")
    return {"titles": [str(n) for n in nodes]}


@app.route("/books/by-id", methods=["POST"])
def book_by_id():
    book_id = request.form["id"]
    query = "//book[@id='" + book_id + "']"
    # ruleid: python.xpath-injection
    find = lxml.etree.XPath(query)
    return {"count": len(find(lxml.etree.parse(CATALOG)))}


@app.route("/books/price/<isbn>")
def price(isbn):
    root = ET.parse(CATALOG)
    # ruleid: python.xpath-injection
    nodes = elementpath.select(root, "/catalog/book[@isbn='%s']/price" % isbn)
    return {"prices": [n.text for n in nodes]}


@app.route("/books/title")
def title():
    isbn = request.args.get("isbn", "")
    root = ET.parse(CATALOG)
    # ruleid: python.xpath-injection
    node = root.find(f".//book[@isbn='{isbn}']/title")
    return {"title": node.text if node is not None else None}


@app.route("/books/safe")
def books_safe():
    author = request.args.get("author", "")
    root = lxml.etree.parse(CATALOG)
    # ok: python.xpath-injection
    nodes = root.xpath("//book[author=$a]/title/text()", a=author)
    return {"titles": [str(n) for n in nodes]}


@app.route("/books/escaped")
def books_escaped():
    author = request.args.get("author", "")
    root = ET.parse(CATALOG)
    safe_author = author.replace("'", "&apos;")
    # ok: python.xpath-injection
    nodes = elementpath.select(root, f"//book[author='{safe_author}']")
    return {"count": len(nodes)}


@app.route("/books/checked")
def books_checked():
    author = request.args.get("author", "")
    if "'" in author:
        return "Author must not contain apostrophes", 400
    root = lxml.etree.parse(CATALOG)
    # ok: python.xpath-injection
    nodes = root.xpath(f"//book[author='{author}']/title/text()")
    return {"titles": [str(n) for n in nodes]}
