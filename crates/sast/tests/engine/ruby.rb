class UsersController
  def index
    # ruleid: rb-system
    system("ls", params[:dir])
    # ruleid: rb-where-interpolation
    User.where("name = #{params[:name]}")
    # ok: rb-where-interpolation
    User.where("name = ?", params[:name])
    # ruleid: rb-marshal
    Marshal.load(params[:blob])
  end
end
