class UsersController < ApplicationController
  def create
    # ruleid: ruby.rails-mass-assignment
    @user = User.new(params.require(:user).permit!)
    @user.save
  end

  def update
    # ruleid: ruby.rails-mass-assignment
    current_user.update(params.require(:user).permit(:name, :email, :role))
  end

  def import
    # ruleid: ruby.rails-mass-assignment
    Setting.create(params[:setting].permit!)
  end

  private

  def user_params
    # ok: ruby.rails-mass-assignment
    params.require(:user).permit(:name, :email, :phone)
  end

  def admin_params
    # ok: ruby.rails-mass-assignment
    params.require(:filter).permit(:status, :from, :to)
  end

  def address_params
    # ok: ruby.rails-mass-assignment
    params.require(:address).permit(:street, :city, :zip)
  end
end
