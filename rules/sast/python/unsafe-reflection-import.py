import importlib

from flask import Flask, request

from . import exporters

app = Flask(__name__)

EXPORTERS = {"csv": exporters.CsvExporter, "xlsx": exporters.XlsxExporter}


@app.route("/plugins/<name>")
def load_plugin(name):
    # ruleid: python.unsafe-reflection-import
    plugin = importlib.import_module("plugins." + name)
    return {"version": plugin.VERSION}


@app.route("/export")
def export():
    fmt = request.args.get("format", "csv")
    # ruleid: python.unsafe-reflection-import
    exporter_cls = getattr(exporters, fmt.capitalize() + "Exporter")
    return exporter_cls().render()


@app.route("/actions", methods=["POST"])
def action():
    action = request.form["action"]
    # ruleid: python.unsafe-reflection-import
    handler = globals()[action]
    return handler()


@app.route("/legacy")
def legacy():
    # ruleid: python.unsafe-reflection-import
    mod = __import__(request.args["module"])
    return {"name": mod.__name__}


@app.route("/export/safe")
def export_safe():
    fmt = request.args.get("format", "csv")
    # ok: python.unsafe-reflection-import
    exporter_cls = EXPORTERS.get(fmt, exporters.CsvExporter)
    return exporter_cls().render()


@app.route("/plugins/builtin")
def builtin_plugin():
    lang = request.args.get("lang", "en")
    # ok: python.unsafe-reflection-import
    plugin = importlib.import_module("plugins.i18n")
    # ok: python.unsafe-reflection-import
    label = getattr(plugin, "LABEL", "")
    return {"label": label, "lang": lang}


@app.route("/report")
def report():
    user = request.args.get("user")
    # ok: python.unsafe-reflection-import
    render = getattr(exporters, "render_report")
    return render(user)
