#pragma once
// A compute pipeline from an embedded shader, bound to its storage buffers (bindings 0, 1, ... of
// set 0 in the order given), with push constants and 32-bit specialization constants (constant_id
// 0, 1, ... in the order given).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "backends/vulkan/buffer.h"

namespace specgap::vulkan {

class Program {
 public:
  Program(std::shared_ptr<Context> ctx, const std::string& shader, const std::vector<const Buffer*>& buffers,
          uint32_t push_bytes = 0, const std::vector<uint32_t>& specialization = {});
  // The same from SPIR-V made at run time (`shader` names it in messages).
  Program(std::shared_ptr<Context> ctx, const std::string& shader, std::span<const uint32_t> code,
          const std::vector<const Buffer*>& buffers, uint32_t push_bytes = 0,
          const std::vector<uint32_t>& specialization = {});
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  // Records one dispatch of groups_x x groups_y workgroups with `push` (push_bytes of it).
  void dispatch(VkCommandBuffer cmd, uint32_t groups_x, uint32_t groups_y = 1, const void* push = nullptr) const;

 private:
  std::shared_ptr<Context> ctx_;
  uint32_t push_bytes_;
  VkDescriptorSetLayout set_layout_ = VK_NULL_HANDLE;
  VkPipelineLayout layout_ = VK_NULL_HANDLE;
  VkPipeline pipeline_ = VK_NULL_HANDLE;
  VkDescriptorPool pool_ = VK_NULL_HANDLE;
  VkDescriptorSet set_ = VK_NULL_HANDLE;
};

}  // namespace specgap::vulkan
