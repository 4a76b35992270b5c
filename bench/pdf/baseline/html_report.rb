#!/usr/bin/env ruby
# frozen_string_literal: true
#
# The view half of the wicked_pdf path: the whole group rendered from report.html.erb into one HTML document,
# as `render_to_string` does in the Rails app; wk_report.sh hands it to wkhtmltopdf.
#
#   ruby html_report.rb data-N.json out.html

require "json"
require "erb"
require_relative "card_figures"

class HtmlGroupReport
  include CardFigures
  include ERB::Util

  # Debian's wkhtmltopdf is built on unpatched Qt: it ignores --footer-*, --zoom and --dpi and always shrinks the
  # page ("smart shrinking", about 0.786 here). So every card is one fixed-height page with its own footer
  # (PAGE_HEIGHT: A4 less wk_report.sh's margins, in the units this build lays out), and the body is zoomed
  # back so that 9 pt text prints at 9 pt, as in the Prawn report.
  PAGE_HEIGHT = ENV.fetch("WK_PAGE_HEIGHT", "280mm")
  ZOOM = ENV.fetch("WK_ZOOM", "1.27")
  VIEW = ERB.new(File.read(File.join(__dir__, "report.html.erb")), trim_mode: "<>")

  attr_reader :school, :students

  def initialize(data)
    @school = data.fetch("school")
    @students = data.fetch("students")
  end

  def to_html = VIEW.result(binding)
end

unless ARGV.size == 2
  warn "usage: ruby html_report.rb data-N.json out.html"
  exit 2
end
File.write(ARGV[1], HtmlGroupReport.new(JSON.parse(File.read(ARGV[0]))).to_html)
