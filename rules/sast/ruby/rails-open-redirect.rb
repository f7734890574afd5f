class SessionsController < ApplicationController
  def create
    # ruleid: ruby.rails-open-redirect
    redirect_to params[:return_to]
  end

  def back
    # ruleid: ruby.rails-open-redirect
    redirect_to request.referer, allow_other_host: true
  end

  def sso
    target = params.fetch(:next, "/")
    # ruleid: ruby.rails-open-redirect
    redirect_to(target, status: :see_other)
  end

  def safe
    # ok: ruby.rails-open-redirect
    redirect_to "/accounts/" + params[:id]
    # ok: ruby.rails-open-redirect
    redirect_to account_path(params[:id])
    # ok: ruby.rails-open-redirect
    redirect_to root_path
  end
end
