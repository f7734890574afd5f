require "base64"
require "yaml"

class PreferencesController < ApplicationController
  def restore
    blob = Base64.decode64(cookies[:prefs])
    # ruleid: ruby.unsafe-deserialization
    prefs = Marshal.load(blob)
    # ruleid: ruby.unsafe-deserialization
    rules = YAML.unsafe_load(params[:rules])
    # ruleid: ruby.unsafe-deserialization
    legacy = YAML.load(request.body.read)
    # ok: ruby.unsafe-deserialization
    session_state = Marshal.load(cookies.encrypted[:state])
    # ok: ruby.unsafe-deserialization
    safe = YAML.safe_load(params[:rules], permitted_classes: [Date])
    # ok: ruby.unsafe-deserialization
    parsed = JSON.parse(request.body.read)
    # ok: ruby.unsafe-deserialization
    defaults = YAML.load(File.read(Rails.root.join("config", "defaults.yml")))
    render json: [prefs, rules, legacy, session_state, safe, parsed, defaults]
  end
end
