# cmake -DOUTPUT=FILE -DFILES="a;b;..." -P hash-recipe.cmake
# Write a short hash of the files' contents: the test guests' recipe
# version, part of the cached images' names.
set(_all "")
foreach(f IN LISTS FILES)
  file(SHA256 ${f} _h)
  get_filename_component(_name ${f} NAME)
  string(APPEND _all "${_name} ${_h}\n")
endforeach()
string(SHA256 _hash "${_all}")
string(SUBSTRING "${_hash}" 0 16 _hash)
file(WRITE ${OUTPUT}.tmp "${_hash}\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
