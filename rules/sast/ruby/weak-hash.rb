require "digest"
require "openssl"

module Fingerprints
  def self.document(doc)
    # ruleid: ruby.weak-hash
    Digest::MD5.hexdigest(doc)
  end

  def self.password(password, salt)
    # ruleid: ruby.weak-hash
    Digest::SHA1.hexdigest(salt + password)
  end

  def self.signature_input(data)
    # ruleid: ruby.weak-hash
    OpenSSL::Digest.new("SHA1").digest(data)
  end

  def self.strong(doc)
    # ok: ruby.weak-hash
    Digest::SHA256.hexdigest(doc)
  end

  def self.strong_openssl(data)
    # ok: ruby.weak-hash
    OpenSSL::Digest.new("SHA256").digest(data)
  end

  def self.hmac(key, data)
    # ok: ruby.weak-hash
    OpenSSL::HMAC.hexdigest("SHA256", key, data)
  end
end
