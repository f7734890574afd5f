class StatementsController < ApplicationController
  BASE = Rails.root.join("storage", "statements")

  def download
    # ruleid: ruby.path-traversal
    send_file "/srv/statements/#{params[:file]}", type: "application/pdf"
  end

  def preview
    name = params[:name]
    # ruleid: ruby.path-traversal
    contents = File.read(File.join("/srv/statements", name))
    # ruleid: ruby.path-traversal
    FileUtils.rm_f("/srv/tmp/#{params[:cleanup]}")
    # ok: ruby.path-traversal
    safe = File.read(File.join("/srv/statements", File.basename(name)))
    # ok: ruby.path-traversal
    index = File.read("/srv/statements/index.json")
    # ok: ruby.path-traversal
    send_file BASE.join("#{params[:year].to_i}.pdf")
    render plain: [contents, safe, index].join
  end
end
