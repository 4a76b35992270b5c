# The legacy app's gradebook models, as a Rails app would have them (ActiveRecord on SQLite here).
require "active_record"
require "json"

ActiveRecord::Base.establish_connection(adapter: "sqlite3", database: ENV.fetch("LEGACY_DB"), pool: 8, timeout: 5000)

class Section < ActiveRecord::Base
  has_many :assignment_groups
  has_many :assignments
  has_many :enrollments
  has_many :students, through: :enrollments
  serialize :grading_standard, JSON
end

class AssignmentGroup < ActiveRecord::Base
  belongs_to :section
  serialize :never_drop, JSON
end

class Assignment < ActiveRecord::Base
  belongs_to :section
  belongs_to :assignment_group
  has_many :submissions
end

class Student < ActiveRecord::Base
  has_many :enrollments
end

class Enrollment < ActiveRecord::Base
  belongs_to :section
  belongs_to :student
end

class Submission < ActiveRecord::Base
  belongs_to :assignment
  belongs_to :student
end
