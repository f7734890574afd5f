class SearchController < ApplicationController
  helper_method :banner

  def index
    @query = params[:q]
    # ruleid: ruby.rails-xss
    @title = "Results for #{params[:q]}".html_safe
    # ruleid: ruby.rails-xss
    @note = helpers.raw(params[:note])
    # ok: ruby.rails-xss
    @safe_title = "Results for #{ERB::Util.html_escape(params[:q])}".html_safe
    # ok: ruby.rails-xss
    @static = "<strong>Search</strong>".html_safe
    # ok: ruby.rails-xss
    @summary = helpers.sanitize(params[:summary], tags: %w[b i])
  end

  def preview
    # ruleid: ruby.rails-xss
    render html: "<div>#{params[:body]}</div>".html_safe
  end

  def banner
    # ok: ruby.rails-xss
    render html: params[:body]
  end
end
