import xml.dom.minidom
import xml.sax
import xml.sax.handler

import lxml.etree
from flask import Flask, request

app = Flask(__name__)
ENTITY_PARSER = lxml.etree.XMLParser(resolve_entities=True)
SAFE_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True)


@app.route("/orders/import", methods=["POST"])
def import_orders():
    body = request.get_data(as_text=True)
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    # ruleid: python.xxe-external-entities
    doc = xml.dom.minidom.parseString(body, parser)
    return {"orders": len(doc.getElementsByTagName("order"))}


@app.route("/invoices/import", methods=["POST"])
def import_invoices():
    # ruleid: python.xxe-external-entities
    root = lxml.etree.fromstring(request.files["invoice"].read(), ENTITY_PARSER)
    return {"lines": len(root.findall("line"))}


@app.route("/feeds/import", methods=["POST"])
def import_feed():
    data = request.form["xml"]
    parser = lxml.etree.XMLParser(resolve_entities=True, load_dtd=True)
    # ruleid: python.xxe-external-entities
    root = lxml.etree.fromstring(data.encode(), parser=parser)
    return {"items": len(root)}


@app.route("/orders/import-safe", methods=["POST"])
def import_orders_safe():
    body = request.get_data(as_text=True)
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    # ok: python.xxe-external-entities
    doc = xml.dom.minidom.parseString(body, parser)
    return {"orders": len(doc.getElementsByTagName("order"))}


@app.route("/invoices/import-safe", methods=["POST"])
def import_invoices_safe():
    # ok: python.xxe-external-entities
    root = lxml.etree.fromstring(request.files["invoice"].read(), SAFE_PARSER)
    return {"lines": len(root.findall("line"))}


@app.route("/templates/reload", methods=["POST"])
def reload_templates():
    name = request.form["name"]
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    # ok: python.xxe-external-entities
    doc = xml.dom.minidom.parseString("<templates><t name='default'/></templates>", parser)
    return {"found": any(t.getAttribute("name") == name for t in doc.getElementsByTagName("t"))}
