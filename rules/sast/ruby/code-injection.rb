class WidgetsController < ApplicationController
  ALLOWED_SORTS = %w[name created_at].freeze

  def show
    # ruleid: ruby.code-injection
    klass = params[:type].constantize
    # ruleid: ruby.code-injection
    value = Widget.first.send(params[:attribute])
    # ruleid: ruby.code-injection
    total = eval("#{params[:a]} + 1")
    # ruleid: ruby.code-injection
    render inline: "<p>#{params[:greeting]}</p>"
  end

  def safe
    sort = ALLOWED_SORTS.include?(params[:sort]) ? params[:sort] : "name"
    # ok: ruby.code-injection
    widget = Widget.first.public_send(:name)
    # ok: ruby.code-injection
    klass = "Widget".constantize
    # ok: ruby.code-injection
    render inline: "<p><%= greeting %></p>", locals: { greeting: params[:greeting] }
  end
end
