class AccountsController < ApplicationController
  def index
    owner = params[:owner]
    # ruleid: ruby.rails-sqli
    @accounts = Account.where("owner = '#{owner}'")
    # ruleid: ruby.rails-sqli
    @sorted = Account.order(params[:sort] + " DESC")
    # ok: ruby.rails-sqli
    @safe = Account.where(owner: owner)
    # ok: ruby.rails-sqli
    @placeholder = Account.where("owner = ?", owner)
    # ok: ruby.rails-sqli
    @limited = Account.where("balance > #{params[:min].to_i}")
  end

  def search
    iban = params.fetch(:iban)
    # ruleid: ruby.rails-sqli
    rows = ActiveRecord::Base.connection.execute("SELECT * FROM transfers WHERE iban = '#{iban}'")
    # ruleid: ruby.rails-sqli
    Transfer.find_by_sql("SELECT * FROM transfers WHERE reference LIKE '%" + params[:q] + "%'")
    # ok: ruby.rails-sqli
    Transfer.find_by_sql(["SELECT * FROM transfers WHERE iban = ?", iban])
    render json: rows
  end
end
