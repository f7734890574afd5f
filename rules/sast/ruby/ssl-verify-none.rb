require "net/http"
require "openssl"
require "faraday"

class RatesClient
  def fetch(uri)
    http = Net::HTTP.new(uri.host, uri.port)
    http.use_ssl = true
    # ruleid: ruby.ssl-verify-none
    http.verify_mode = OpenSSL::SSL::VERIFY_NONE
    http.get(uri.request_uri)
  end

  def partner
    # ruleid: ruby.ssl-verify-none
    Faraday.new(url: "https://partner.example", ssl: { verify: false })
  end

  def legacy(url)
    # ruleid: ruby.ssl-verify-none
    HTTParty.get(url, verify: false)
  end

  def strict(uri)
    http = Net::HTTP.new(uri.host, uri.port)
    http.use_ssl = true
    # ok: ruby.ssl-verify-none
    http.verify_mode = OpenSSL::SSL::VERIFY_PEER
    # ok: ruby.ssl-verify-none
    Faraday.new(url: "https://partner.example", ssl: { ca_file: "/etc/ssl/certs/bank-ca.pem" })
    # ok: ruby.ssl-verify-none
    HTTParty.get(uri.to_s, verify: true)
  end
end
