require "open3"
require "shellwords"

class ReportsController < ApplicationController
  def export
    file = params[:file]
    # ruleid: ruby.command-injection
    system("gzip /srv/reports/#{file}")
    # ruleid: ruby.command-injection
    listing = `ls -l #{params[:dir]}`
    # ruleid: ruby.command-injection
    out, status = Open3.capture2("pdftotext " + file + " -")
    # ok: ruby.command-injection
    system("gzip", "/srv/reports/#{File.basename(file)}")
    # ok: ruby.command-injection
    system("gzip /srv/reports/#{Shellwords.escape(file)}")
    # ok: ruby.command-injection
    uptime = `uptime`
    render plain: [listing, out, status, uptime].join
  end

  def archive
    # ruleid: ruby.command-injection
    IO.popen("tar czf /srv/archive/#{params[:name]}.tgz /srv/data").read
  end
end
